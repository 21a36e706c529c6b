package sim

// The raw material of the generator: people, catalogs, access packages,
// PIM groups and the words people write in justifications. Kept apart from
// the generator's logic so either can be read on its own.

// approverPeople are the identities that approve. Their UPNs are short
// (first name only) because they are what people type as a bearer token
// in curl; the first is the demo identity.
var approverPeople = []struct{ given, surname, title, dept string }{
	{"Megan", "Bowen", "IT Manager", "IT"},
	{"Adele", "Vance", "Finance Director", "Finance"},
	{"Alex", "Wilber", "Platform Engineering Lead", "Engineering"},
	{"Lidia", "Holloway", "Security Officer", "Security"},
	{"Diego", "Siciliani", "HR Business Partner", "Human Resources"},
}

var givenNames = []string{
	"Aaliyah", "Aarav", "Abigail", "Adrián", "Aiko", "Akira", "Alejandro", "Amara", "Amelia", "Ana",
	"Andrei", "Anika", "Arjun", "Astrid", "Ayesha", "Bao", "Beatriz", "Benjamin", "Bianca", "Björn",
	"Camila", "Carlos", "Chen", "Chloé", "Chinedu", "Daniel", "Dara", "David", "Elena", "Elif",
	"Emeka", "Emma", "Ethan", "Fatima", "Felix", "Francesca", "Gabriel", "Grace", "Hana", "Hannah",
	"Hiroshi", "Ibrahim", "Ines", "Isabella", "Ivan", "Jakub", "James", "Javier", "Jin", "Johan",
	"José", "Julia", "Kai", "Kamala", "Karin", "Kenji", "Kofi", "Lars", "Laura", "Leila",
	"Liam", "Lucas", "Lucía", "Maja", "Malik", "Maria", "Mateo", "Mei", "Mohammed", "Nadia",
	"Naomi", "Nikhil", "Noah", "Nora", "Olivia", "Omar", "Priya", "Rafael", "Rania", "Ravi",
	"Sakura", "Samuel", "Sara", "Sebastián", "Siobhan", "Sofia", "Søren", "Tariq", "Thandiwe", "Tomás",
	"Valentina", "Wei", "Xavier", "Yara", "Yusuf", "Zanele", "Zoë", "Łukasz", "Ólafur", "Ngozi",
}

var surnames = []string{
	"Abara", "Adeyemi", "Andersson", "Bauer", "Becker", "Bergström", "Brown", "Castillo", "Chen", "Costa",
	"Dubois", "Eriksen", "Fernández", "Fischer", "García", "Gonzalez", "Gupta", "Hansen", "Haddad", "Hernández",
	"Ito", "Ivanova", "Jansen", "Johnson", "Kaur", "Kim", "Kowalski", "Kumar", "Larsen", "Lee",
	"Li", "Lindqvist", "López", "Martin", "Martínez", "Meyer", "Mensah", "Müller", "Murphy", "Nakamura",
	"Nguyen", "Novak", "Nowak", "O'Brien", "Okafor", "Olsen", "Park", "Patel", "Pereira", "Petrov",
	"Popescu", "Quispe", "Rahman", "Ramírez", "Rossi", "Russo", "Santos", "Sato", "Schmidt", "Silva",
	"Singh", "Smith", "Suzuki", "Tanaka", "Taylor", "Thompson", "Torres", "Tran", "van der Berg", "Varga",
	"Wagner", "Walsh", "Wang", "Weber", "Williams", "Wilson", "Wójcik", "Yamamoto", "Yilmaz", "Zhang",
}

var departments = []struct {
	name   string
	titles []string
}{
	{"Finance", []string{"Accountant", "Financial Analyst", "Controller", "Payroll Specialist", "FP&A Manager"}},
	{"Engineering", []string{"Software Engineer", "Senior Software Engineer", "Site Reliability Engineer", "Data Engineer", "Engineering Manager"}},
	{"Sales", []string{"Account Executive", "Sales Engineer", "Sales Operations Analyst", "Regional Sales Manager"}},
	{"Marketing", []string{"Marketing Specialist", "Content Strategist", "Growth Analyst"}},
	{"Human Resources", []string{"Recruiter", "HR Generalist", "Benefits Coordinator"}},
	{"IT", []string{"Service Desk Analyst", "Systems Administrator", "Endpoint Engineer", "Network Engineer"}},
	{"Security", []string{"Security Analyst", "Incident Responder", "Identity Engineer"}},
	{"Operations", []string{"Operations Coordinator", "Supply Chain Analyst", "Facilities Manager"}},
	{"Legal", []string{"Paralegal", "Corporate Counsel"}},
}

type catalogSeed struct {
	name, description string
	external          bool
	packages          []packageSeed
}

type packageSeed struct {
	name, description string
	questions         []questionSeed
	stages            int // 1-3
	hidden            bool
}

type questionSeed struct {
	text    string
	choices []Choice // nil: text input
	answers []string // plausible text answers
}

var costCenterQ = questionSeed{text: "Which cost center should this access be charged to?", answers: []string{"CC-4410", "CC-1200 (Corporate Finance)", "CC-7781", "CC-3002", "CC-1200"}}
var projectQ = questionSeed{text: "Which project or customer is this for?", answers: []string{"Project Phoenix", "Fabrikam migration", "FY26 budget cycle", "Woodgrove onboarding", "Internal tooling", "Quarter-end close"}}
var environmentQ = questionSeed{text: "Which environment do you need?", choices: []Choice{{"dev", "Development"}, {"test", "Test"}, {"prod", "Production"}}}
var durationQ = questionSeed{text: "How long do you expect to need this?", choices: []Choice{{"week", "Less than a week"}, {"month", "About a month"}, {"ongoing", "Ongoing, part of my role"}}}
var managerQ = questionSeed{text: "Who is your manager? (name or alias)", answers: []string{"Adele Vance", "Alex Wilber", "megan", "Lidia H.", "Diego Siciliani"}}

var catalogSeeds = []catalogSeed{
	{"Finance", "Finance systems and reports.", false, []packageSeed{
		{"SAP Finance — read", "Read-only access to SAP S/4HANA finance ledgers and reports.", []questionSeed{costCenterQ}, 2, false},
		{"SAP Finance — post journals", "Post and reverse journal entries in SAP S/4HANA.", []questionSeed{costCenterQ, durationQ}, 3, false},
		{"Payroll export", "Download the monthly payroll export from the payroll provider.", []questionSeed{projectQ}, 3, false},
		{"Expense report approver", "Approve expense reports for a cost center in Concur.", []questionSeed{costCenterQ}, 1, false},
		{"Budget planning workspace", "Edit the FY budget planning workbooks and Power BI models.", nil, 2, false},
	}},
	{"Engineering", "Source control, CI/CD and production systems.", false, []packageSeed{
		{"GitHub Enterprise — contoso-core write", "Write access to the contoso-core organisation repositories.", []questionSeed{projectQ}, 1, false},
		{"Azure DevOps — Platform contributors", "Contribute to the Platform project boards and pipelines.", nil, 1, false},
		{"Production database — read only", "Read-only access to the production SQL replicas for investigations.", []questionSeed{environmentQ, durationQ}, 2, false},
		{"Kubernetes — staging namespace admin", "Admin rights in the staging AKS namespaces.", []questionSeed{environmentQ}, 2, false},
		{"Build agents — administrators", "Manage the self-hosted build agent pool.", nil, 3, true},
	}},
	{"Sales & Marketing", "CRM, marketing automation and pricing tools.", false, []packageSeed{
		{"Salesforce — Sales Cloud user", "A Sales Cloud licence with the standard sales profile.", []questionSeed{managerQ}, 1, false},
		{"HubSpot — marketing editor", "Create and edit campaigns, landing pages and emails.", nil, 1, false},
		{"Pricing calculator — discount override", "Apply discounts above 20% in the pricing calculator.", []questionSeed{projectQ}, 2, false},
	}},
	{"Human Resources", "HR systems with personal data. Handle with care.", false, []packageSeed{
		{"Workday — HR partner", "View and update employee records in Workday.", []questionSeed{managerQ, durationQ}, 3, false},
		{"Benefits administration", "Manage benefits enrolment and life events.", nil, 2, false},
		{"Recruiting — hiring manager", "Review candidates and give interview feedback.", nil, 1, false},
	}},
	{"IT Operations", "Administration of devices, tickets and networks.", false, []packageSeed{
		{"Intune — device administrator", "Manage device configuration and compliance policies.", []questionSeed{durationQ}, 2, false},
		{"ServiceNow — ITIL agent", "Work incidents and changes in ServiceNow.", nil, 1, false},
		{"VPN — contractors", "Remote access for contractors through the contractor VPN profile.", []questionSeed{projectQ, durationQ}, 2, false},
	}},
	{"Partners", "Resources shared with partner organisations.", true, []packageSeed{
		{"Fabrikam joint project site", "The SharePoint site and Teams channel shared with Fabrikam.", []questionSeed{projectQ}, 2, false},
		{"Contoso partner portal — editor", "Publish content on the partner portal.", nil, 1, false},
	}},
	{"General", "Everyday resources for everyone.", false, []packageSeed{
		{"All-company Teams channels", "Join the all-company announcement and social channels.", nil, 1, false},
		{"Visitor Wi-Fi sponsor", "Sponsor guest Wi-Fi accounts for visitors.", nil, 1, false},
	}},
}

var groupSeeds = []struct{ name, description string }{
	{"PIM-Prod-SQL-Admins", "Administrators of the production Azure SQL servers."},
	{"PIM-Prod-Web-Owners", "Owners of the production web app subscriptions."},
	{"PIM-Azure-Subscription-Contributors", "Contributor on the shared Azure subscriptions."},
	{"PIM-Exchange-Admins", "Exchange Online administration."},
	{"PIM-Intune-Admins", "Intune service administration."},
	{"PIM-Dev-K8s-Operators", "Operators of the development Kubernetes clusters."},
	{"PIM-Finance-Approvers", "Approvers for payments above the standard limit."},
	{"PIM-HR-Data-Readers", "Read access to HR data exports."},
	{"PIM-Security-Analysts", "Microsoft Defender and Sentinel investigation rights."},
	{"PIM-Break-Glass-Reviewers", "Reviewers of emergency access accounts."},
	{"PIM-SharePoint-Admins", "SharePoint Online administration."},
	{"PIM-Network-Firewall-Operators", "Change firewall rules on the hub network."},
}

var stageNames = [][]string{
	{"Manager approval", "Line manager", "Approval"},
	{"Resource owner", "Data owner", "Catalog owner"},
	{"Security review", "Compliance review", "Final approval"},
}

// Requestor justifications: short, medium and long; some empty.
var shortReasons = []string{
	"Need access for the Q3 close.",
	"New joiner, same access as my team.",
	"Covering for a colleague on leave.",
	"Incident INC0041872 investigation.",
	"Project work.",
	"Required for my role.",
	"Customer escalation this week.",
	"Quarter-end reporting",
	"Onboarding to the platform team",
	"Audit request from KPMG",
	"per my manager",
	"Temporary — migration cut-over tonight.",
}

var longReasonParts = []string{
	"I have joined the %s team this month and my manager asked me to take over the monthly reporting from a colleague who is moving to another role.",
	"We are migrating the remaining workloads before the end of the quarter and I need to validate the data in %s after each batch.",
	"The vendor support case requires someone from our side to reproduce the issue, and I am the on-call engineer for %s this week.",
	"Access is needed only until the audit is complete; I will raise a removal request afterwards.",
	"This replaces my previous access, which expired while I was on parental leave.",
	"Context: the change was approved in CAB on Tuesday (CHG0031337).",
	"Please see the attached ticket for details; I am happy to walk through it in a call.",
	"My manager is out of office until Monday, so please contact the team lead if anything is unclear.",
}

var approverReasons = []string{
	"Confirmed with the requestor's manager.",
	"Role matches the job title; approved.",
	"Approved per ticket, access is time-bound.",
	"OK — part of the onboarding plan.",
	"Verified business need.",
	"Approved. Please remove when the project ends.",
	"Looks fine.",
	"Cost center confirmed with Finance.",
}

var denyReasons = []string{
	"Not part of this role; please use the read-only package instead.",
	"Duplicate request.",
	"No business justification given.",
	"Please ask your manager to request this for you.",
}

var ticketPrefixes = []string{"INC", "CHG", "RITM", "REQ"}

// hostileStrings are rare values that carry terminal control sequences,
// bidi overrides and odd whitespace on purpose, so every client's
// sanitizer is exercised by the demo data.
var hostileStrings = []string{
	"Need this asap \x1b[31mURGENT\x1b[0m please",
	"Invoice fix \u202egnp.exe\u202c for review",
	"line one\r\nline two\ttabbed\x07",
	"Title\x1b]0;pwned\x07 reset",
	"   lots of   spaces and a trailing newline\n",
}
