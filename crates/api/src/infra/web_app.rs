//! Serves the built web app: content-hashed assets cached for a year, `index.html` for every
//! other non-API path so that client-side routes survive a reload.

use std::path::{Path, PathBuf};

use actix_web::{
    HttpRequest, HttpResponse, ResponseError,
    http::{Method, header},
    web,
};

use crate::{
    error::{ApiError, RequestError},
    routes::method_not_allowed::AllowedMethods,
};

#[derive(Clone)]
pub struct WebApp {
    dir: PathBuf,
}

impl WebApp {
    pub fn new(dir: &Path) -> Self {
        Self {
            dir: dir.to_path_buf(),
        }
    }

    pub fn assets_dir(&self) -> PathBuf {
        self.dir.join("assets")
    }

    fn index_html(&self) -> Option<String> {
        std::fs::read_to_string(self.dir.join("index.html")).ok()
    }
}

/// Any request no route took: API paths get a problem document, page navigations get the app.
pub async fn fallback(
    request: HttpRequest,
    app: web::Data<WebApp>,
    allowed: web::Data<AllowedMethods>,
) -> Result<HttpResponse, ApiError> {
    let path = request.path();
    if let Some(methods) = allowed.for_path(path) {
        let mut refused = ApiError::from(RequestError::MethodNotAllowed).error_response();
        let (name, value) = AllowedMethods::header_value(methods);
        if let Ok(value) = header::HeaderValue::from_str(&value) {
            refused.headers_mut().insert(name, value);
        }
        return Ok(refused);
    }
    let is_api = path == "/api" || path.starts_with("/api/") || path.starts_with("/api-docs");
    if is_api {
        return Err(RequestError::NotFound.into());
    }
    if request.method() != Method::GET && request.method() != Method::HEAD {
        return Err(RequestError::MethodNotAllowed.into());
    }
    Ok(match app.index_html() {
        Some(html) => HttpResponse::Ok()
            .insert_header((header::CONTENT_TYPE, "text/html; charset=utf-8"))
            .insert_header((header::CACHE_CONTROL, "no-cache"))
            .body(html),
        None => HttpResponse::ServiceUnavailable()
            .insert_header((header::CONTENT_TYPE, "text/plain; charset=utf-8"))
            .body("The web app is not built yet. Run `bash scripts/build-frontend.sh` (or the README's first command) and reload."),
    })
}
