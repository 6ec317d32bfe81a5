//! A documented path asked with a method it does not serve gets 405 with `Allow`, not 404:
//! the path exists, the method does not (RFC 9110 §15.5.6).

use std::collections::HashMap;

use actix_web::{
    ResponseError,
    body::MessageBody,
    dev::{ResourceDef, ServiceRequest, ServiceResponse},
    http::{Method, header},
    middleware::Next,
    web,
};
use utoipa::openapi::OpenApi;

/// Each documented path template and the methods it serves, read from the OpenAPI document
/// (itself built from the route table), and the templates without parameters by their path, as
/// every request looks one up.
pub struct AllowedMethods {
    served: Vec<(ResourceDef, Vec<Method>)>,
    literal: HashMap<String, usize>,
}

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
            .collect::<Vec<_>>();
        let literal = document
            .paths
            .paths
            .keys()
            .enumerate()
            .filter(|(_, path)| !path.contains('{'))
            .map(|(index, path)| (path.clone(), index))
            .collect();
        Self { served, literal }
    }

    /// The methods `path` serves, if it is a documented path at all.
    pub fn for_path(&self, path: &str) -> Option<&[Method]> {
        self.served
            .iter()
            .find(|(resource, _)| resource.is_match(path))
            .map(|(_, methods)| methods.as_slice())
    }

    /// The methods a documented path without parameters serves, when `path` is that path and
    /// `method` is not one of them: such a path is refused with 405 even where a templated route
    /// would take it (`PATCH /customers/batch` is not `PATCH /customers/{id}` with a bad ID).
    pub fn refusal_on_literal_path(&self, path: &str, method: &Method) -> Option<&[Method]> {
        self.literal
            .get(path)
            .and_then(|index| self.served.get(*index))
            .map(|(_, methods)| methods.as_slice())
            .filter(|methods| {
                !methods.contains(method) && method != Method::OPTIONS && method != Method::HEAD
            })
    }

    /// The `Allow` header's value for `methods`.
    pub fn header_value(methods: &[Method]) -> (header::HeaderName, String) {
        let names: Vec<&str> = methods.iter().map(Method::as_str).collect();
        (header::ALLOW, names.join(", "))
    }
}

/// Answers 405 with `Allow` for a method that a documented path without parameters does not
/// serve, before routing could hand it to a templated route of the same shape.
pub async fn refuse_on_literal_paths(
    request: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let refused = request
        .app_data::<web::Data<AllowedMethods>>()
        .and_then(|allowed| {
            allowed
                .refusal_on_literal_path(request.path(), request.method())
                .map(AllowedMethods::header_value)
        });
    let Some((name, value)) = refused else {
        return Ok(next.call(request).await?.map_into_left_body());
    };
    let mut response =
        crate::error::ApiError::from(crate::error::RequestError::MethodNotAllowed).error_response();
    if let Ok(value) = header::HeaderValue::from_str(&value) {
        response.headers_mut().insert(name, value);
    }
    Ok(request.into_response(response).map_into_right_body())
}
