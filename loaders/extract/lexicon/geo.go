package lexicon

import "strings"

// Capital returns the country whose government a lower-cased capital or
// seat of power speaks for ("baku", "the kremlin"), or "".
func Capital(l string) string { return capitals[l] }

// Country returns the country a lower-cased country name stands for
// ("armenia", "the united states"), or "".
func Country(l string) string { return countries[l] }

// Demonym returns the country a lower-cased nationality adjective stands
// for ("armenian"), or "".
func Demonym(l string) string { return adjectives[l] }

// capitals map capitals and seats of power, lower-cased, to the country
// whose government they speak for.
var capitals = map[string]string{
	"baku": "Azerbaijan", "yerevan": "Armenia", "washington": "United States", "moscow": "Russia",
	"kremlin": "Russia", "the kremlin": "Russia", "ankara": "Turkey", "tehran": "Iran", "tbilisi": "Georgia",
	"paris": "France", "london": "United Kingdom", "berlin": "Germany", "beijing": "China", "kyiv": "Ukraine",
	"kiev": "Ukraine", "brussels": "European Union", "tokyo": "Japan", "seoul": "South Korea",
	"pyongyang": "North Korea", "jerusalem": "Israel", "damascus": "Syria", "baghdad": "Iraq",
	"riyadh": "Saudi Arabia", "cairo": "Egypt", "new delhi": "India", "islamabad": "Pakistan",
	"kabul": "Afghanistan", "ottawa": "Canada", "canberra": "Australia", "rome": "Italy", "madrid": "Spain",
	"warsaw": "Poland", "minsk": "Belarus", "havana": "Cuba", "caracas": "Venezuela", "mexico city": "Mexico",
	"brasilia": "Brazil", "the white house": "United States", "white house": "United States",
	"downing street": "United Kingdom",
}

// countries map country names and their adjectives, lower-cased, to the
// country.
var countries = map[string]string{
	"azerbaijan": "Azerbaijan", "armenia": "Armenia", "russia": "Russia", "turkey": "Turkey", "iran": "Iran",
	"georgia": "Georgia", "france": "France", "germany": "Germany", "china": "China", "ukraine": "Ukraine",
	"israel": "Israel", "syria": "Syria", "iraq": "Iraq", "egypt": "Egypt", "india": "India",
	"pakistan": "Pakistan", "japan": "Japan", "canada": "Canada", "mexico": "Mexico", "cuba": "Cuba",
	"the united states": "United States", "united states": "United States", "america": "United States",
	"the u.s.": "United States", "the us": "United States", "britain": "United Kingdom",
	"the united kingdom": "United Kingdom", "the uk": "United Kingdom", "the european union": "European Union",
	"the eu":  "European Union",
	"finland": "Finland", "sweden": "Sweden", "norway": "Norway", "denmark": "Denmark",
	"the netherlands": "Netherlands", "belgium": "Belgium", "switzerland": "Switzerland",
	"austria": "Austria", "hungary": "Hungary", "romania": "Romania", "bulgaria": "Bulgaria",
	"greece": "Greece", "serbia": "Serbia", "croatia": "Croatia", "lithuania": "Lithuania",
	"latvia": "Latvia", "estonia": "Estonia", "moldova": "Moldova", "kazakhstan": "Kazakhstan",
	"afghanistan": "Afghanistan", "lebanon": "Lebanon", "jordan": "Jordan", "qatar": "Qatar",
	"yemen": "Yemen", "libya": "Libya", "nigeria": "Nigeria", "brazil": "Brazil",
	"argentina": "Argentina", "chile": "Chile", "colombia": "Colombia", "venezuela": "Venezuela",
	"australia": "Australia", "indonesia": "Indonesia", "vietnam": "Vietnam", "taiwan": "Taiwan",
	"ireland": "Ireland", "portugal": "Portugal", "italy": "Italy", "spain": "Spain", "poland": "Poland",
	"belarus": "Belarus", "saudi arabia": "Saudi Arabia", "north korea": "North Korea",
	"south korea": "South Korea", "palestine": "Palestine",
}

var adjectives = map[string]string{
	"azerbaijani": "Azerbaijan", "azeri": "Azerbaijan", "armenian": "Armenia", "russian": "Russia",
	"turkish": "Turkey", "iranian": "Iran", "georgian": "Georgia", "french": "France", "german": "Germany",
	"chinese": "China", "ukrainian": "Ukraine", "israeli": "Israel", "syrian": "Syria", "iraqi": "Iraq",
	"egyptian": "Egypt", "indian": "India", "pakistani": "Pakistan", "japanese": "Japan",
	"canadian": "Canada", "mexican": "Mexico", "cuban": "Cuba", "american": "United States",
	"u.s.": "United States", "us": "United States", "british": "United Kingdom", "european": "European Union",
	"palestinian": "Palestine", "saudi": "Saudi Arabia", "italian": "Italy", "spanish": "Spain",
	"polish": "Poland", "belarusian": "Belarus", "korean": "Korea",
	"finnish": "Finland", "swedish": "Sweden", "norwegian": "Norway", "danish": "Denmark", "dutch": "Netherlands",
	"belgian": "Belgium", "swiss": "Switzerland", "austrian": "Austria", "hungarian": "Hungary",
	"czech": "Czech Republic", "slovak": "Slovakia", "romanian": "Romania", "bulgarian": "Bulgaria",
	"greek": "Greece", "serbian": "Serbia", "croatian": "Croatia", "lithuanian": "Lithuania",
	"latvian": "Latvia", "estonian": "Estonia", "moldovan": "Moldova", "kazakh": "Kazakhstan",
	"uzbek": "Uzbekistan", "afghan": "Afghanistan", "lebanese": "Lebanon", "jordanian": "Jordan",
	"qatari": "Qatar", "emirati": "United Arab Emirates", "yemeni": "Yemen", "libyan": "Libya",
	"tunisian": "Tunisia", "moroccan": "Morocco", "algerian": "Algeria", "nigerian": "Nigeria",
	"kenyan": "Kenya", "ethiopian": "Ethiopia", "south african": "South Africa", "brazilian": "Brazil",
	"argentine": "Argentina", "argentinian": "Argentina", "chilean": "Chile", "colombian": "Colombia",
	"peruvian": "Peru", "venezuelan": "Venezuela", "australian": "Australia", "indonesian": "Indonesia",
	"malaysian": "Malaysia", "thai": "Thailand", "vietnamese": "Vietnam", "filipino": "Philippines",
	"taiwanese": "Taiwan", "irish": "Ireland", "scottish": "United Kingdom", "portuguese": "Portugal",
}

// Nationality returns the country a lower-cased country name or
// nationality adjective stands for ("armenian", "the u.s.", "azerbaijan's"),
// or "".
func Nationality(w string) string {
	w = strings.TrimSuffix(strings.TrimSuffix(w, "'s"), "’s")
	if c := adjectives[w]; c != "" {
		return c
	}
	if c := countries[w]; c != "" {
		return c
	}
	if c := countries["the "+w]; c != "" {
		return c
	}
	return ""
}
