// Package text splits cleaned report text into paragraphs, sentences and
// quotations, keeping every piece as a byte range of the original text.
//
// Sentences come from github.com/neurosnap/sentences (its bundled English
// training data, with extra abbreviations) run on each paragraph, followed by
// a few post-rules that fix its known weak spots: sentences ending in a year
// or number ("... in 2020. The talks"), a closing quotation followed by a new
// sentence ("... left." "It is done"), titles written before a quote mark
// ("\"Mr. Aliyev"), and false breaks before a lower-case word.
//
// Quotes finds spans in ASCII double quotes (and single quotes outside them),
// including quotations that run over several paragraphs by the English
// convention: a paragraph that opens a quotation and does not close it
// continues into the following paragraphs until a closing mark.
package text
