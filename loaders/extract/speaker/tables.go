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
	secretariat directorate bureau coalition alliance mission contingent troops peacekeepers school college
	academy hospital clinic church museum library laboratory club inc corp airlines airport`)

// stopWords are capitalised at the start of a sentence without being
// names.
var stopWords = set(`the a an on in at during after before when while as but and or if this that these those
	it he she they we i his her their its our my your there here then also however meanwhile according
	officials sources experts analysts critics`)

var monthsDays = set(`january february march april may june july august september october november december
	monday tuesday wednesday thursday friday saturday sunday jan feb mar apr jun jul aug sep sept oct nov dec`)

var pronouns = set(`he she they it we i him her them`)

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
