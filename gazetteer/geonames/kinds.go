package geonames

import (
	"strings"

	"golang.org/x/text/language"
)

// KindOf maps a GeoNames feature class and code to a truce kind and precision
// (see gazetteer.Kinds and gazetteer.Precisions):
//
//	A.PCL*                 country    country
//	A.TERR, other A        region     region
//	A.ADM1, ADM1H          province   province
//	A.ADM2..ADM5, ADMD     district   district
//	P.*                    settlement settlement
//	S.MN*                  mine       site
//	S.BDG*, PSTB, PSTC     crossing   site
//	other S                site       site
//	H.STM*                 river      site
//	H.LK*, H.RSV*          lake       site
//	T.MT*, PK*, HLL*, RDGE mountain   site
//	T.PASS                 crossing   site
//	L.RGN, L.AREA          region     region
//	R.RD, RR, TNL, ST, TRL route      site
//	everything else        site       site
func KindOf(class, code string) (kind, precision string) {
	switch class {
	case "A":
		switch {
		case strings.HasPrefix(code, "PCL"):
			return "country", "country"
		case code == "ADM1" || code == "ADM1H":
			return "province", "province"
		case strings.HasPrefix(code, "ADM"):
			return "district", "district"
		}
		return "region", "region"
	case "P":
		return "settlement", "settlement"
	case "S":
		switch {
		case strings.HasPrefix(code, "MN"):
			return "mine", "site"
		case strings.HasPrefix(code, "BDG"), code == "PSTB", code == "PSTC":
			return "crossing", "site"
		}
	case "H":
		switch {
		case strings.HasPrefix(code, "STM"):
			return "river", "site"
		case strings.HasPrefix(code, "LK"), strings.HasPrefix(code, "RSV"):
			return "lake", "site"
		}
	case "T":
		switch {
		case strings.HasPrefix(code, "MT"), strings.HasPrefix(code, "PK"), strings.HasPrefix(code, "HLL"), code == "RDGE":
			return "mountain", "site"
		case code == "PASS":
			return "crossing", "site"
		}
	case "L":
		if code == "RGN" || code == "AREA" || code == "RGNE" {
			return "region", "region"
		}
	case "R":
		return "route", "site"
	}
	return "site", "site"
}

// ISO3 returns the ISO 3166-1 alpha-3 code of a GeoNames (alpha-2) country
// code, or "XXX" when there is none (features in no country).
func ISO3(cc string) string {
	if len(cc) != 2 {
		return "XXX"
	}
	r, err := language.ParseRegion(cc)
	if err != nil {
		return "XXX"
	}
	if s := r.ISO3(); len(s) == 3 && s != "ZZZ" {
		return s
	}
	return "XXX"
}

// langKey maps a GeoNames isolanguage to a gazetteer name group: "" is alt,
// "zh-CN" is zh, "fr_1793" is fr, the ISO 639-2/3 codes that clash with the
// side groups ("arm", "aze") are hy and az, and the pseudo-languages (link,
// post, iata, icao, faac, abbr, wkdt, unlc, ...) are skipped ("").
func langKey(lang string) string {
	if lang == "" {
		return "alt"
	}
	if i := strings.IndexAny(lang, "-_"); i >= 0 {
		lang = lang[:i]
	}
	lang = strings.ToLower(lang)
	switch lang {
	case "arm", "hye":
		return "hy"
	case "aze":
		return "az"
	case "alt":
		return ""
	}
	if len(lang) < 2 || len(lang) > 3 {
		return ""
	}
	for _, c := range lang {
		if c < 'a' || c > 'z' {
			return ""
		}
	}
	return lang
}
