//! What the sign-in round trips through another site (Microsoft, Duo) share: the URL that site
//! sends the browser back to, and the redirects that answer the browser.

use actix_web::{HttpRequest, HttpResponse, http::header};

/// `path` on this server as the browser reached it (scheme and host of the request), for the
/// other site's `redirect_uri`.
pub fn back_to(request: &HttpRequest, path: &str) -> String {
    let connection = request.connection_info();
    format!("{}://{}{path}", connection.scheme(), connection.host())
}

/// A `302` to `location` that no cache keeps.
pub fn redirect(location: &str) -> actix_web::HttpResponseBuilder {
    let mut response = HttpResponse::Found();
    response.insert_header((header::LOCATION, location.to_owned()));
    response.insert_header((header::CACHE_CONTROL, "no-store"));
    response
}
