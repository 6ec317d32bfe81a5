//! `GET /{tenant}/v2.0/adminconsent`, as login.microsoftonline.com answers it: a page where an
//! administrator picks their account and grants the operator's app its permissions in their
//! tenant (or cancels), then a redirect back with `admin_consent=True&tenant=…&state=…`, or with
//! `error` and `error_description`. A `login_hint` the directory knows skips the page, as tests
//! do; `Faults::refuse_consent` makes a grant fail as for an account that is no administrator.

use actix_web::{HttpResponse, http::StatusCode, web};
use serde::Deserialize;
use url::Url;

use crate::{
    fixture::DirectoryAccount,
    server::FakeState,
    sign_in::{
        pages::{error_page, escape, html_page},
        rules::{app_not_found, redirect_uri_registered},
    },
};

#[derive(Deserialize)]
pub(crate) struct ConsentQuery {
    client_id: Option<String>,
    redirect_uri: Option<String>,
    state: Option<String>,
    scope: Option<String>,
    login_hint: Option<String>,
    /// The fake's own: the account picked on its page, by position.
    fake_account: Option<usize>,
    /// The fake's own: Cancel on its page.
    fake_cancel: Option<String>,
}

pub(crate) async fn admin_consent(
    state: web::Data<FakeState>,
    tenant: web::Path<String>,
    query: web::Query<ConsentQuery>,
) -> HttpResponse {
    tokio::time::sleep(state.faults.latency()).await;
    let query = query.into_inner();
    let tenant = tenant.into_inner();
    let app = &state.fixture.sign_in;
    let client_id = query.client_id.clone().unwrap_or_default();
    if app.client_id.is_empty() || !client_id.eq_ignore_ascii_case(&app.client_id) {
        return error_page(&app_not_found(&client_id, &tenant));
    }
    let Some(redirect_uri) = query
        .redirect_uri
        .as_deref()
        .and_then(|uri| Url::parse(uri).ok())
        .filter(|uri| redirect_uri_registered(&app.redirect_uris, uri))
    else {
        return error_page(&format!(
            "AADSTS50011: The redirect URI specified in the request does not match the redirect \
             URIs configured for the application '{client_id}'."
        ));
    };
    let any_tenant = matches!(tenant.as_str(), "organizations" | "common");
    if !any_tenant && !state.entra.knows_tenant(&tenant) {
        return error_page(&format!(
            "AADSTS90002: Tenant '{tenant}' not found. Check to make sure you have the correct \
             tenant ID and are signing into the correct cloud."
        ));
    }
    let back = |parameters: &[(&str, &str)]| {
        let mut target = redirect_uri.clone();
        {
            let mut pairs = target.query_pairs_mut();
            for (name, value) in parameters {
                pairs.append_pair(name, value);
            }
            if let Some(value) = &query.state {
                pairs.append_pair("state", value);
            }
        }
        HttpResponse::Found()
            .insert_header(("Location", target.to_string()))
            .finish()
    };
    if query.fake_cancel.is_some() {
        return back(&[
            ("error", "access_denied"),
            (
                "error_description",
                "AADSTS65004: User declined to consent to access the app.",
            ),
        ]);
    }
    let accounts: Vec<DirectoryAccount> = app
        .accounts
        .iter()
        .filter(|account| any_tenant || account.tenant_id.eq_ignore_ascii_case(&tenant))
        .cloned()
        .collect();
    let chosen = match (&query.login_hint, query.fake_account) {
        (_, Some(index)) => accounts.get(index),
        (Some(hint), None) => accounts
            .iter()
            .find(|account| account.user_principal_name.eq_ignore_ascii_case(hint)),
        (None, None) => None,
    };
    let Some(account) = chosen else {
        return picker(&tenant, &query, &accounts);
    };
    if state.faults.consent_refused() {
        return back(&[
            ("error", "access_denied"),
            (
                "error_description",
                &format!(
                    "AADSTS90094: An administrator of {} has set a policy that prevents you \
                     from granting the application the permissions it is requesting.",
                    account.tenant_id
                ),
            ),
        ]);
    }
    state.entra.grant_consent(&account.tenant_id);
    let scope = query
        .scope
        .clone()
        .unwrap_or_else(|| "https://graph.microsoft.com/.default".to_owned());
    back(&[
        ("admin_consent", "True"),
        ("tenant", &account.tenant_id),
        ("scope", &scope),
    ])
}

/// "Permissions requested": one button-like link per administrator account, and Cancel.
fn picker(tenant: &str, query: &ConsentQuery, accounts: &[DirectoryAccount]) -> HttpResponse {
    let link = |choice: (&str, &str)| {
        let mut pairs = url::form_urlencoded::Serializer::new(String::new());
        for (name, value) in [
            ("client_id", &query.client_id),
            ("redirect_uri", &query.redirect_uri),
            ("state", &query.state),
            ("scope", &query.scope),
        ] {
            if let Some(value) = value {
                pairs.append_pair(name, value);
            }
        }
        pairs.append_pair(choice.0, choice.1);
        format!("/{tenant}/v2.0/adminconsent?{}", pairs.finish())
    };
    let mut items = String::new();
    for (index, account) in accounts.iter().enumerate() {
        items.push_str(&format!(
            "<li><a href=\"{}\">Accept as <span class=\"name\">{}</span> \
             <span class=\"upn\">{}</span></a></li>",
            escape(&link(("fake_account", &index.to_string()))),
            escape(&account.display_name),
            escape(&account.user_principal_name),
        ));
    }
    let body = format!(
        "<h1>Permissions requested</h1><p>Accept for your organization: the application will be \
         able to read your directory's users and domains.</p>\
         <ul aria-label=\"Administrator accounts\">{items}</ul><p><a href=\"{}\">Cancel</a></p>",
        escape(&link(("fake_cancel", "1"))),
    );
    html_page(StatusCode::OK, &body, None)
}
