//! The fake's two pages: the prompt with **Approve** and **Deny**, and the error page. Plain
//! HTML forms, no script: a browser test clicks a button by its name, a person in the demo
//! presses it, and a client without a browser posts the form.

use actix_web::{
    HttpResponse,
    http::{StatusCode, header},
};

use crate::authorize::DECISION_PATH;
use crate::grants::Prompt;

/// Where the style sheet is served; outside `/oauth/v1`, so the switches leave it alone.
pub(crate) const STYLE_PATH: &str = "/static/prompt.css";

pub(crate) const STYLE: &str = "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;\
background:#f4f5f6;margin:0;color:#1c1e21}main{max-width:420px;margin:48px auto;\
background:#fff;padding:40px;border-radius:8px;box-shadow:0 2px 8px rgba(0,0,0,.15)}\
.brand{font-weight:700;font-size:1.25rem;color:#1e7b34;margin:0}h1{font-size:1.5rem;\
margin:16px 0 8px}.user{font-weight:600;word-break:break-all}.actions{display:flex;gap:12px;\
margin-top:24px}button{flex:1;font:inherit;font-weight:600;padding:12px;border-radius:6px;\
cursor:pointer}button:focus-visible{outline:3px solid #0b57d0;outline-offset:2px}\
.approve{background:#1e7b34;color:#fff;border:2px solid #1e7b34}\
.deny{background:#fff;color:#a4161a;border:2px solid #a4161a}\
.error{color:#a4161a}.note{color:#5c6066;font-size:.875rem}";

/// The prompt for `prompt.username`, whose buttons post the transaction's decision.
pub(crate) fn prompt(prompt: &Prompt, transaction: &str) -> HttpResponse {
    let body = format!(
        "<h1 id=\"title\">Verify it\u{2019}s you</h1>\
         <p>A Duo Push was sent to the phone of <span class=\"user\">{user}</span>.</p>\
         <p class=\"note\" id=\"note\">This is a fake Duo: the buttons stand in for the phone.</p>\
         <form method=\"post\" action=\"{action}\" aria-labelledby=\"title\" \
         aria-describedby=\"note\"><input type=\"hidden\" name=\"txid\" value=\"{transaction}\">\
         <div class=\"actions\">\
         <button class=\"approve\" type=\"submit\" name=\"decision\" value=\"approve\">Approve</button>\
         <button class=\"deny\" type=\"submit\" name=\"decision\" value=\"deny\">Deny</button>\
         </div></form>",
        user = escape(&prompt.username),
        action = DECISION_PATH,
        transaction = escape(transaction),
    );
    // The form posts here, and the answer redirects to the application: a browser checks
    // `form-action` against both.
    let application = prompt.redirect_uri.origin().ascii_serialization();
    page(StatusCode::OK, &body, &format!("'self' {application}"))
}

/// Duo's error page: 400, and why, so the developer of the application can see what to fix.
pub(crate) fn error(reason: &str) -> HttpResponse {
    let body = format!(
        "<h1>Something went wrong</h1>\
         <p class=\"error\" role=\"alert\">{}</p>",
        escape(reason)
    );
    page(StatusCode::BAD_REQUEST, &body, "'none'")
}

fn page(status: StatusCode, body: &str, form_action: &str) -> HttpResponse {
    let policy = format!(
        "default-src 'none'; style-src 'self'; form-action {form_action}; \
         frame-ancestors 'none'; base-uri 'none'"
    );
    let html = format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>Duo Security</title><link rel=\"stylesheet\" href=\"{STYLE_PATH}\">\
         <link rel=\"icon\" href=\"data:,\"></head>\
         <body><main><p class=\"brand\">Duo</p>{body}</main></body></html>\n"
    );
    HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CONTENT_SECURITY_POLICY, policy))
        .insert_header((header::X_FRAME_OPTIONS, "DENY"))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header((header::REFERRER_POLICY, "no-referrer"))
        .body(html)
}

pub(crate) async fn style() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/css; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "max-age=3600"))
        .body(STYLE)
}

fn escape(text: &str) -> String {
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
