package speaker

import "strings"

func set(words string) map[string]bool {
	m := make(map[string]bool)
	for _, w := range strings.Fields(words) {
		m[strings.ReplaceAll(w, "_", " ")] = true
	}
	return m
}

// titleWords are words of titles and roles written before a name ("U.S.
// Secretary of State Antony Blinken") or used for a person ("the expert").
var titleWords = set(`president vice secretary minister prime foreign defense defence interior finance
	state senator sen. rep. representative congressman congresswoman governor gov. mayor mr. mrs. ms. dr.
	gen. general lt. col. colonel adm. admiral chancellor king queen prince emir sheikh ambassador envoy
	spokesman spokeswoman spokesperson chief head leader chairman chairwoman chair director deputy
	former expert analyst official officer commander professor prof. judge justice attorney lawyer
	candidate nominee ceo founder pope premier diplomat lawmaker legislator adviser advisor aide
	strategist pollster economist researcher scientist activist journalist reporter editor columnist
	u.s. us ex head_of_state state_secretary prime_minister foreign_minister`)

// orgWords mark a mention as an organisation's.
var orgWords = set(`ministry department service services government office council committee agency party
	embassy administration press news authorities army forces police court parliament assembly commission
	union bank university institute center centre campaign kremlin pentagon cabinet guards guard military
	ministries organization organisation foundation corporation company group association federation
	network newspaper agencies tribunal congress senate house statement report release communique
	secretariat directorate bureau coalition alliance mission contingent troops peacekeepers`)

// stopWords are capitalised at the start of a sentence without being
// names.
var stopWords = set(`the a an on in at during after before when while as but and or if this that these those
	it he she they we i his her their its our my your there here then also however meanwhile according
	officials sources experts analysts critics`)

var monthsDays = set(`january february march april may june july august september october november december
	monday tuesday wednesday thursday friday saturday sunday jan feb mar apr jun jul aug sep sept oct nov dec`)

var pronouns = set(`he she they it we i him her them`)

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

// nationalityOf returns the country a lower-cased word or name stands for.
func nationalityOf(w string) string {
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

// roleSynonyms map a role to the titles that hold it.
var roleSynonyms = map[string][]string{
	"leader":         {"president", "prime minister", "prime", "premier", "chancellor", "king", "leader", "head"},
	"head of state":  {"president", "king", "queen", "emir", "head"},
	"head":           {"president", "head", "chief", "director", "chairman"},
	"president":      {"president"},
	"prime minister": {"prime", "premier"},
	"premier":        {"prime", "premier"},
	"minister":       {"minister"},
	"secretary":      {"secretary"},
	"spokesman":      {"spokesman", "spokeswoman", "spokesperson"},
	"spokeswoman":    {"spokesman", "spokeswoman", "spokesperson"},
	"spokesperson":   {"spokesman", "spokeswoman", "spokesperson"},
	"expert":         {"expert", "analyst"},
	"analyst":        {"expert", "analyst"},
	"senator":        {"senator", "sen."},
	"governor":       {"governor", "gov."},
	"candidate":      {"candidate", "nominee"},
	"nominee":        {"candidate", "nominee"},
	"official":       {"official", "officer"},
}
