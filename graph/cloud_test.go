package graph

import (
	"reflect"
	"strings"
	"testing"
)

func TestCloudByName(t *testing.T) {
	t.Parallel()
	for name, want := range map[string]Cloud{
		"global":   {"global", "https://graph.microsoft.com", "https://login.microsoftonline.com", "https://management.azure.com"},
		"":         {"global", "https://graph.microsoft.com", "https://login.microsoftonline.com", "https://management.azure.com"},
		"USGov":    {"usgov", "https://graph.microsoft.us", "https://login.microsoftonline.us", "https://management.usgovcloudapi.net"},
		"usgovdod": {"usgovdod", "https://dod-graph.microsoft.us", "https://login.microsoftonline.us", "https://management.usgovcloudapi.net"},
		"china":    {"china", "https://microsoftgraph.chinacloudapi.cn", "https://login.chinacloudapi.cn", "https://management.chinacloudapi.cn"},
	} {
		got, err := CloudByName(name)
		if err != nil || got != want {
			t.Errorf("CloudByName(%q) = %+v, %v", name, got, err)
		}
	}
	_, err := CloudByName("germany")
	if err == nil || !strings.Contains(err.Error(), "global, usgov, usgovdod, china") {
		t.Fatalf("err = %v", err)
	}
}

func TestARMScopes(t *testing.T) {
	t.Parallel()
	if got := ARMScopes("https://management.usgovcloudapi.net/"); !reflect.DeepEqual(got, []string{"https://management.usgovcloudapi.net/.default"}) {
		t.Fatalf("%v", got)
	}
}

func TestDefaultScopes(t *testing.T) {
	t.Parallel()
	got := DefaultScopes("https://graph.microsoft.us/")
	want := []string{
		"https://graph.microsoft.us/EntitlementManagement.ReadWrite.All",
		"https://graph.microsoft.us/PrivilegedAssignmentSchedule.ReadWrite.AzureADGroup",
		"https://graph.microsoft.us/User.Read",
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("%v", got)
	}
}
