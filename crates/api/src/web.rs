//! Serves the built web app: content-hashed assets cached for a year, `index.html` for every
//! other non-API path so that client-side routes survive a reload.

use std::path::{Path, PathBuf};

use actix_web::{
    HttpRequest, HttpResponse,
    http::{Method, header},
    web,
};

use crate::error::ApiError;

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
) -> Result<HttpResponse, ApiError> {
    let path = request.path();
    let is_api = path == "/api" || path.starts_with("/api/") || path.starts_with("/api-docs");
    if is_api {
        return Err(ApiError::NotFound);
    }
    if request.method() != Method::GET && request.method() != Method::HEAD {
        return Err(ApiError::MethodNotAllowed);
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
