package graph

import (
	"fmt"
	"strings"
)

// Cloud is a Microsoft cloud: where Graph lives and where its users sign in.
// Tokens are not interchangeable between clouds.
type Cloud struct {
	Name          string // global, usgov, usgovdod, china
	GraphURL      string // Graph root without version
	AuthorityHost string // Entra ID login host
	ARMURL        string // Azure Resource Manager root (PIM for Azure resources)
}

// clouds is graph-contract.md §4.5 / auth-and-http.md §4. GCC (not High)
// uses the global endpoints.
var clouds = []Cloud{
	{Name: "global", GraphURL: "https://graph.microsoft.com", AuthorityHost: "https://login.microsoftonline.com", ARMURL: "https://management.azure.com"},
	{Name: "usgov", GraphURL: "https://graph.microsoft.us", AuthorityHost: "https://login.microsoftonline.us", ARMURL: "https://management.usgovcloudapi.net"},
	{Name: "usgovdod", GraphURL: "https://dod-graph.microsoft.us", AuthorityHost: "https://login.microsoftonline.us", ARMURL: "https://management.usgovcloudapi.net"},
	{Name: "china", GraphURL: "https://microsoftgraph.chinacloudapi.cn", AuthorityHost: "https://login.chinacloudapi.cn", ARMURL: "https://management.chinacloudapi.cn"},
}

// CloudNames lists the names CloudByName accepts.
func CloudNames() []string {
	names := make([]string, len(clouds))
	for i, c := range clouds {
		names[i] = c.Name
	}
	return names
}

// CloudByName returns the cloud called name (case-insensitive; "" is global).
func CloudByName(name string) (Cloud, error) {
	if name == "" {
		name = "global"
	}
	for _, c := range clouds {
		if strings.EqualFold(c.Name, name) {
			return c, nil
		}
	}
	return Cloud{}, fmt.Errorf("unknown cloud %q: valid clouds are %s", name, strings.Join(CloudNames(), ", "))
}

// Permissions are the delegated Graph permissions this tool needs: read and
// decide entitlement management and PIM for Groups approvals, and read the
// signed-in user (to recognise one's own decisions).
var Permissions = []string{
	"EntitlementManagement.ReadWrite.All",
	"PrivilegedAssignmentSchedule.ReadWrite.AzureADGroup",
	"User.Read",
}

// DefaultScopes returns Permissions as scopes of the Graph resource at
// graphURL, e.g. "https://graph.microsoft.us/User.Read". Scopes must name
// the cloud's own Graph host.
func DefaultScopes(graphURL string) []string {
	root := strings.TrimRight(graphURL, "/")
	scopes := make([]string, len(Permissions))
	for i, p := range Permissions {
		scopes[i] = root + "/" + p
	}
	return scopes
}

// ARMScopes is the token audience of Azure Resource Manager at armURL: the
// whole resource (".default"), which for a user is Azure Service
// Management's user_impersonation. It must name the cloud's own ARM host.
func ARMScopes(armURL string) []string {
	return []string{strings.TrimRight(armURL, "/") + "/.default"}
}
