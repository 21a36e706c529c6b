//go:build bench

package main

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// The naive baseline: what a first attempt at the inbox would do on every
// poll: list both sources, then GET each approval for its stages, one
// request at a time. It is written against the documented paths, not the
// graph client, so nothing of the client's caching or batching leaks in.

const (
	naiveEMList = "/v1.0/identityGovernance/entitlementManagement/assignmentRequests/filterByCurrentUser(on='approver')" +
		"?$expand=requestor,accessPackage"
	naiveEMApproval    = "/v1.0/identityGovernance/entitlementManagement/accessPackageAssignmentApprovals/"
	naiveGroupList     = "/v1.0/identityGovernance/privilegedAccess/group/assignmentScheduleRequests/filterByCurrentUser(on='approver')"
	naiveGroupApproval = "/v1.0/identityGovernance/privilegedAccess/group/assignmentApprovals/"
)

// naiveRefresh lists everything waiting for token's user and reads every
// approval's stages. It returns how many approvals it read and how many
// HTTP requests it sent.
func naiveRefresh(ctx context.Context, hc *http.Client, root, token string) (approvals, requests int, err error) {
	groupQuery := "?$filter=" + escapeQuery("status eq 'PendingApproval'") + "&$expand=group,principal"
	lists := []struct{ list, approval string }{
		{root + naiveEMList, root + naiveEMApproval},
		{root + naiveGroupList + groupQuery, root + naiveGroupApproval},
	}
	for _, l := range lists {
		var ids []string
		for next := l.list; next != ""; {
			var page struct {
				Value []struct {
					ID         string `json:"id"`
					ApprovalID string `json:"approvalId"`
				} `json:"value"`
				NextLink string `json:"@odata.nextLink"`
			}
			requests++
			if err := naiveGet(ctx, hc, next, token, &page); err != nil {
				return approvals, requests, err
			}
			for _, v := range page.Value {
				ids = append(ids, cmp.Or(v.ApprovalID, v.ID))
			}
			next = page.NextLink
		}
		for _, id := range ids {
			var a struct {
				Stages []json.RawMessage `json:"stages"`
			}
			requests++
			if err := naiveGet(ctx, hc, l.approval+url.PathEscape(id), token, &a); err != nil {
				return approvals, requests, err
			}
			approvals++
		}
	}
	return approvals, requests, nil
}

func naiveGet(ctx context.Context, hc *http.Client, u, token string, into any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s", u, resp.Status)
	}
	return json.Unmarshal(body, into)
}

// escapeQuery escapes a query value with %20 for spaces, as OData expects.
func escapeQuery(s string) string {
	return strings.ReplaceAll(url.QueryEscape(s), "+", "%20")
}
