package contio

// SDKMethod is one method of the official Node SDK (@contio/partner-sdk
// 1.9.0) and the request it sends, so that `init --from` can turn SDK
// calls in a partner's code into config calls.
type SDKMethod struct {
	Name string
	// Client is user (PartnerUserClient), admin (PartnerAdminClient) or
	// oauth (OAuthClient).
	Client string
	Method string
	Path   string
}

// OAuthClientMethods are the OAuthClient methods whose errors are plain
// Error values without a code.
var OAuthClientMethods = []string{
	"exchangeCodeForToken", "refreshAccessToken", "getClientCredentialsToken", "revokeToken",
	"initiatePartnerAuth", "verifyPartnerAuth", "checkConsent", "introspectToken", "getUserInfo",
}

// LookupSDKMethod finds an SDK method by name, preferring client (user,
// admin, oauth) where both clients have a method of that name.
func LookupSDKMethod(name, client string) (SDKMethod, bool) {
	var found SDKMethod
	ok := false
	for _, m := range SDKMethods {
		if m.Name != name {
			continue
		}
		if m.Client == client {
			return m, true
		}
		if !ok {
			found, ok = m, true
		}
	}
	return found, ok
}

// SDKMethods lists the SDK's request methods, read from the installed
// package's dist/client and dist/auth; parameters are {id}.
var SDKMethods = []SDKMethod{
	{"exchangeCodeForToken", "oauth", "POST", "/oauth2/token"},
	{"refreshAccessToken", "oauth", "POST", "/oauth2/token"},
	{"getClientCredentialsToken", "oauth", "POST", "/oauth2/token"},
	{"revokeToken", "oauth", "POST", "/oauth2/revoke"},
	{"introspectToken", "oauth", "POST", "/oauth2/introspect"},
	{"checkConsent", "oauth", "POST", "/oauth2/check-consent"},
	{"getAvailableScopes", "oauth", "GET", "/oauth2/scopes"},
	{"getUserInfo", "oauth", "GET", "/oauth2/userInfo"},
	{"initiatePartnerAuth", "oauth", "POST", "/auth/initiate"},
	{"verifyPartnerAuth", "oauth", "POST", "/auth/verify"},
	{"getActionItems", "user", "GET", "/v1/partner/user/action-items"},
	{"getAllActionItems", "user", "GET", "/v1/partner/user/action-items"},
	{"getActionItem", "user", "GET", "/v1/partner/user/action-items/{id}"},
	{"createActionItem", "user", "POST", "/v1/partner/user/action-items"},
	{"updateActionItem", "user", "PUT", "/v1/partner/user/action-items/{id}"},
	{"deleteActionItem", "user", "DELETE", "/v1/partner/user/action-items/{id}"},
	{"getCalendarEvents", "user", "GET", "/v1/partner/user/calendar/events"},
	{"getAllCalendarEvents", "user", "GET", "/v1/partner/user/calendar/events"},
	{"getCalendarEvent", "user", "GET", "/v1/partner/user/calendar/events/{id}"},
	{"linkCalendarEvent", "user", "POST", "/v1/partner/user/meetings/{id}/calendar/link"},
	{"createMeetingFromCalendarEvent", "user", "POST", "/v1/partner/user/calendar/events/{id}/meeting"},
	{"createSession", "user", "POST", "/v1/partner/user/sessions"},
	{"getSessions", "user", "GET", "/v1/partner/user/sessions"},
	{"getSession", "user", "GET", "/v1/partner/user/sessions/{id}"},
	{"sendMessage", "user", "PUT", "/v1/partner/user/sessions/{id}"},
	{"getTurn", "user", "GET", "/v1/partner/user/sessions/{id}/turns/{id}"},
	{"getMeetingContextDocuments", "user", "GET", "/v1/partner/user/meetings/{id}/context"},
	{"getAllMeetingContextDocuments", "user", "GET", "/v1/partner/user/meetings/{id}/context"},
	{"getMeetingContextDocument", "user", "GET", "/v1/partner/user/meetings/{id}/context/{id}"},
	{"uploadMeetingContextDocument", "user", "POST", "/v1/partner/user/meetings/{id}/context"},
	{"deleteMeetingContextDocument", "user", "DELETE", "/v1/partner/user/meetings/{id}/context/{id}"},
	{"downloadMeetingContextDocumentContent", "user", "GET", "/v1/partner/user/meetings/{id}/context/{id}/content"},
	{"getMeetings", "user", "GET", "/v1/partner/user/meetings"},
	{"getAllMeetings", "user", "GET", "/v1/partner/user/meetings"},
	{"getMeeting", "user", "GET", "/v1/partner/user/meetings/{id}"},
	{"createMeeting", "user", "POST", "/v1/partner/user/meetings"},
	{"updateMeeting", "user", "PATCH", "/v1/partner/user/meetings/{id}"},
	{"getMeetingParticipants", "user", "GET", "/v1/partner/user/meetings/{id}/participants"},
	{"addMeetingParticipant", "user", "POST", "/v1/partner/user/meetings/{id}/participants"},
	{"removeMeetingParticipant", "user", "DELETE", "/v1/partner/user/meetings/{id}/participants/{id}"},
	{"getMeetingAgendaItems", "user", "GET", "/v1/partner/user/meetings/{id}/agenda-items"},
	{"createAgendaItem", "user", "POST", "/v1/partner/user/meetings/{id}/agenda-items"},
	{"updateAgendaItem", "user", "PUT", "/v1/partner/user/meetings/{id}/agenda-items/{id}"},
	{"deleteAgendaItem", "user", "DELETE", "/v1/partner/user/meetings/{id}/agenda-items/{id}"},
	{"getMeetingNextSteps", "user", "GET", "/v1/partner/user/meetings/{id}/next-steps"},
	{"executeNextStep", "user", "POST", "/v1/partner/user/meetings/{id}/next-steps/{id}/execute"},
	{"getNextStepResult", "user", "GET", "/v1/partner/user/next-step-results/{id}"},
	{"getMeetingActionButtons", "user", "GET", "/v1/partner/user/meetings/{id}/action-buttons"},
	{"triggerActionButton", "user", "POST", "/v1/partner/user/meetings/{id}/action-buttons/{id}/trigger"},
	{"exportMeetingTranscript", "user", "GET", "/v1/partner/user/meetings/{id}/transcript/export"},
	{"getUserProfile", "user", "GET", "/v1/partner/user/profile"},
	{"getMeetingTemplates", "user", "GET", "/v1/partner/user/meeting-templates"},
	{"getMeetingTemplate", "user", "GET", "/v1/partner/user/meeting-templates/{id}"},
	{"getToolkits", "user", "GET", "/v1/partner/user/toolkits"},
	{"getToolkit", "user", "GET", "/v1/partner/user/toolkits/{id}"},
	{"installToolkit", "user", "POST", "/v1/partner/user/toolkits/{id}/install"},
	{"uninstallToolkit", "user", "DELETE", "/v1/partner/user/toolkits/{id}/uninstall"},
	{"listWorkflowRuns", "user", "GET", "/v1/partner/user/workflow-runs"},
	{"createWorkflowRun", "user", "POST", "/v1/partner/user/workflow-runs"},
	{"getWorkflowRun", "user", "GET", "/v1/partner/user/workflow-runs/{id}"},
	{"getApp", "admin", "GET", "/v1/partner/admin/app"},
	{"updateApp", "admin", "PUT", "/v1/partner/admin/app"},
	{"updateAppStatus", "admin", "PUT", "/v1/partner/admin/app/status"},
	{"createAutomation", "admin", "POST", "/v1/partner/admin/automations"},
	{"getAutomations", "admin", "GET", "/v1/partner/admin/automations"},
	{"getAutomation", "admin", "GET", "/v1/partner/admin/automations/{id}"},
	{"updateAutomation", "admin", "PUT", "/v1/partner/admin/automations/{id}"},
	{"deleteAutomation", "admin", "DELETE", "/v1/partner/admin/automations/{id}"},
	{"getUserConnections", "admin", "GET", "/v1/partner/admin/connections"},
	{"getUserConnection", "admin", "GET", "/v1/partner/admin/connections/{id}"},
	{"revokeUserConnection", "admin", "DELETE", "/v1/partner/admin/connections/{id}"},
	{"getCredentialStatus", "admin", "GET", "/v1/partner/admin/credentials"},
	{"rotateAPIKey", "admin", "POST", "/v1/partner/admin/credentials/api-key/rotate"},
	{"rotateWebhookSecret", "admin", "POST", "/v1/partner/admin/credentials/webhook-secret/rotate"},
	{"rotateClientSecret", "admin", "POST", "/v1/partner/admin/credentials/client-secret/rotate"},
	{"rollbackCredential", "admin", "POST", "/v1/partner/admin/credentials/{id}/rollback"},
	{"getCredentialHistory", "admin", "GET", "/v1/partner/admin/credentials/history"},
	{"createIdPConfig", "admin", "POST", "/v1/partner/admin/idp"},
	{"getIdPConfig", "admin", "GET", "/v1/partner/admin/idp"},
	{"updateIdPConfig", "admin", "PUT", "/v1/partner/admin/idp"},
	{"deleteIdPConfig", "admin", "DELETE", "/v1/partner/admin/idp"},
	{"getIdpDomainVerification", "admin", "GET", "/v1/partner/admin/idp/domains/{id}"},
	{"initiateIdpDomainVerification", "admin", "POST", "/v1/partner/admin/idp/domains/{id}/verify"},
	{"checkIdpDomainVerification", "admin", "POST", "/v1/partner/admin/idp/domains/{id}/check"},
	{"createTemplate", "admin", "POST", "/v1/partner/admin/templates"},
	{"getTemplates", "admin", "GET", "/v1/partner/admin/templates"},
	{"getTemplate", "admin", "GET", "/v1/partner/admin/templates/{id}"},
	{"updateTemplate", "admin", "PUT", "/v1/partner/admin/templates/{id}"},
	{"deleteTemplate", "admin", "DELETE", "/v1/partner/admin/templates/{id}"},
	{"getTemplateNextSteps", "admin", "GET", "/v1/partner/admin/templates/{id}/next-steps"},
	{"addTemplateNextStep", "admin", "POST", "/v1/partner/admin/templates/{id}/next-steps"},
	{"updateTemplateNextStep", "admin", "PUT", "/v1/partner/admin/templates/{id}/next-steps/{id}"},
	{"removeTemplateNextStep", "admin", "DELETE", "/v1/partner/admin/templates/{id}/next-steps/{id}"},
	{"createToolkit", "admin", "POST", "/v1/partner/admin/toolkits"},
	{"getToolkits", "admin", "GET", "/v1/partner/admin/toolkits"},
	{"getToolkit", "admin", "GET", "/v1/partner/admin/toolkits/{id}"},
	{"updateToolkit", "admin", "PUT", "/v1/partner/admin/toolkits/{id}"},
	{"deleteToolkit", "admin", "DELETE", "/v1/partner/admin/toolkits/{id}"},
	{"listToolkitVersions", "admin", "GET", "/v1/partner/admin/toolkits/{id}/versions"},
	{"createToolkitVersion", "admin", "POST", "/v1/partner/admin/toolkits/{id}/versions"},
	{"getToolkitVersion", "admin", "GET", "/v1/partner/admin/toolkits/{id}/versions/{id}"},
	{"updateToolkitVersion", "admin", "PATCH", "/v1/partner/admin/toolkits/{id}/versions/{id}"},
	{"publishToolkitVersion", "admin", "POST", "/v1/partner/admin/toolkits/{id}/versions/{id}/publish"},
	{"getToolkitInstallations", "admin", "GET", "/v1/partner/admin/toolkits/{id}/installations"},
	{"getWorkspaces", "admin", "GET", "/v1/partner/admin/workspaces"},
	{"republishToolkitVersion", "admin", "POST", "/v1/partner/admin/toolkits/{id}/versions/{id}/republish"},
	{"discardToolkitVersion", "admin", "DELETE", "/v1/partner/admin/toolkits/{id}/versions/{id}"},
	{"exportEntities", "admin", "POST", "/v1/partner/admin/toolkits/export"},
	{"exportToolkit", "admin", "GET", "/v1/partner/admin/toolkits/{id}/export"},
	{"getWebhookDeliveries", "admin", "GET", "/v1/partner/admin/webhook-deliveries"},
	{"getWebhookDelivery", "admin", "GET", "/v1/partner/admin/webhook-deliveries/{id}"},
	{"retryWebhookDelivery", "admin", "POST", "/v1/partner/admin/webhook-deliveries/{id}/retry"},
	{"updateWebhookStatus", "admin", "PUT", "/v1/partner/admin/app/webhook-status"},
	{"setWebhookFilter", "admin", "PUT", "/v1/partner/admin/app/webhook-filter"},
	{"removeWebhookFilter", "admin", "DELETE", "/v1/partner/admin/app/webhook-filter"},
	{"listWorkflowTemplates", "admin", "GET", "/v1/partner/admin/workflow-templates"},
	{"getWorkflowTemplate", "admin", "GET", "/v1/partner/admin/workflow-templates/{id}"},
}
