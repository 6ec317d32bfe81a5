//! The fake's small HTML pages: errors, the account picker, form_post.

use actix_web::{
    HttpResponse,
    http::{StatusCode, header},
};
use base64::{Engine, engine::general_purpose::STANDARD};
use url::Url;

use crate::fixture::DirectoryAccount;

use super::*;

/// The page's only style sheet; the Content-Security-Policy admits it by its hash, so the page
/// needs nothing from another origin and nothing inline beyond it.
pub(super) const STYLE: &str = "body{font-family:'Segoe UI',system-ui,sans-serif;background:#f2f2f2;\
margin:0;color:#1b1b1b}main{max-width:440px;margin:48px auto;background:#fff;padding:44px;\
box-shadow:0 2px 6px rgba(0,0,0,.2)}h1{font-size:1.5rem;font-weight:600;margin:16px 0 8px}\
.brand{font-weight:600;color:#5e5e5e}ul{list-style:none;padding:0;margin:16px 0}\
li a{display:block;padding:12px 8px;border-top:1px solid #e6e6e6;color:inherit;\
text-decoration:none}li a:hover,li a:focus{background:#f2f2f2}.upn{display:block;\
color:#5e5e5e;font-size:.875rem}.error{color:#a80000}";

/// Submits the `form_post` answer; admitted by its hash like the style sheet.
pub(super) const SUBMIT_SCRIPT: &str = "document.forms[0].submit();";

pub(super) fn csp_hash(source: &str) -> String {
    let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, source.as_bytes());
    format!("'sha256-{}'", STANDARD.encode(digest.as_ref()))
}

pub(crate) fn html_page(status: StatusCode, body: &str, script: Option<&str>) -> HttpResponse {
    let mut policy = format!(
        "default-src 'none'; style-src {}; form-action *; frame-ancestors 'none'; \
         base-uri 'none'",
        csp_hash(STYLE)
    );
    let script_tag = match script {
        Some(script) => {
            policy.push_str(&format!("; script-src {}", csp_hash(script)));
            format!("<script>{script}</script>")
        }
        None => String::new(),
    };
    let page = format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>Sign in to your account</title><style>{STYLE}</style></head>\
         <body><main><p class=\"brand\">Microsoft</p>{body}</main>{script_tag}</body></html>\n"
    );
    HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CONTENT_SECURITY_POLICY, policy))
        .insert_header((header::X_FRAME_OPTIONS, "DENY"))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header((header::REFERRER_POLICY, "no-referrer"))
        .body(page)
}

pub(crate) fn error_page(message: &str) -> HttpResponse {
    html_page(
        StatusCode::BAD_REQUEST,
        &format!(
            "<h1>Sign in</h1><p>Sorry, but we\u{2019}re having trouble signing you in.</p>\
             <p class=\"error\" role=\"alert\">{}</p>",
            escape(message)
        ),
        None,
    )
}

/// "Pick an account": one link per account, named by its display name and UPN, and "Cancel".
pub(super) fn account_picker(
    query: &AuthorizeQuery,
    audience: &Audience,
    accounts: &[(usize, &DirectoryAccount)],
) -> HttpResponse {
    let mut items = String::new();
    for (index, account) in accounts {
        items.push_str(&format!(
            "<li><a href=\"{}\"><span class=\"name\">{}</span> \
             <span class=\"upn\">{}</span></a></li>",
            escape(&query.with(audience, ("fake_account", &index.to_string()))),
            escape(&account.display_name),
            escape(&account.user_principal_name),
        ));
    }
    if accounts.is_empty() {
        items.push_str("<li>No account of this directory can sign in here.</li>");
    }
    let body = format!(
        "<h1>Pick an account</h1><p>to continue to the application</p>\
         <ul aria-label=\"Accounts\">{items}</ul><p><a href=\"{}\">Cancel</a></p>",
        escape(&query.with(audience, ("fake_cancel", "1"))),
    );
    html_page(StatusCode::OK, &body, None)
}

/// `response_mode=form_post`: the answer as a form the browser posts to the app.
pub(super) fn form_post_page(redirect_uri: &Url, parameters: &[(&str, &str)]) -> HttpResponse {
    let fields: String = parameters
        .iter()
        .map(|(name, value)| {
            format!(
                "<input type=\"hidden\" name=\"{}\" value=\"{}\">",
                escape(name),
                escape(value)
            )
        })
        .collect();
    let body = format!(
        "<h1>Continue</h1><form method=\"post\" action=\"{}\">{fields}\
         <noscript><button type=\"submit\">Continue</button></noscript></form>",
        escape(redirect_uri.as_str())
    );
    html_page(StatusCode::OK, &body, Some(SUBMIT_SCRIPT))
}

pub(crate) fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for character in text.chars() {
        match character {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            other => escaped.push(other),
        }
    }
    escaped
}
