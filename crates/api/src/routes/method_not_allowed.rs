//! A documented path asked with a method it does not serve gets 405 with `Allow`, not 404:
//! the path exists, the method does not (RFC 9110 §15.5.6).

use actix_web::{
    dev::ResourceDef,
    http::{Method, header},
};
use utoipa::openapi::OpenApi;

/// Each documented path template and the methods it serves, read from the OpenAPI document
/// (itself built from the route table).
pub struct AllowedMethods(Vec<(ResourceDef, Vec<Method>)>);

impl AllowedMethods {
    pub fn of(document: &OpenApi) -> Self {
        let served = document
            .paths
            .paths
            .iter()
            .map(|(path, item)| {
                let methods = [
                    (Method::GET, item.get.is_some()),
                    (Method::PUT, item.put.is_some()),
                    (Method::POST, item.post.is_some()),
                    (Method::DELETE, item.delete.is_some()),
                    (Method::PATCH, item.patch.is_some()),
                ]
                .into_iter()
                .filter_map(|(method, served)| served.then_some(method))
                .collect();
                // OpenAPI's `{id}` templates are actix's syntax too.
                (ResourceDef::new(path.as_str()), methods)
            })
            .collect();
        Self(served)
    }

    /// The methods `path` serves, if it is a documented path at all.
    pub fn for_path(&self, path: &str) -> Option<&[Method]> {
        self.0
            .iter()
            .find(|(resource, _)| resource.is_match(path))
            .map(|(_, methods)| methods.as_slice())
    }

    /// The `Allow` header's value for `methods`.
    pub fn header_value(methods: &[Method]) -> (header::HeaderName, String) {
        let names: Vec<&str> = methods.iter().map(Method::as_str).collect();
        (header::ALLOW, names.join(", "))
    }
}
