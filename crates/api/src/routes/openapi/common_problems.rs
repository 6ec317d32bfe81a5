//! Problem answers that depend on what an operation accepts, not on its handler.

use utoipa::openapi::{
    ContentBuilder, OpenApi, Ref, ResponseBuilder,
    path::{Operation, ParameterIn},
};

/// Documents the answers the server's extractors give before any handler runs, on every
/// operation they apply to: an operation that needs a token answers 401 without one; a JSON body
/// can be malformed (400), too large (413) or not JSON (415); a query string can hold an unknown
/// or unparsable parameter (400). Schema fuzzing found
/// operations that answered these without listing them; documenting them once here keeps a new
/// operation from missing them. An operation's own description of a status is kept.
pub struct CommonProblems;

impl utoipa::Modify for CommonProblems {
    fn modify(&self, openapi: &mut OpenApi) {
        for item in openapi.paths.paths.values_mut() {
            let operations = [
                &mut item.get,
                &mut item.put,
                &mut item.post,
                &mut item.delete,
                &mut item.patch,
            ];
            for operation in operations.into_iter().flatten() {
                // `security(())` marks the public operations; the rest inherit the bearer scheme.
                let public = operation.security.as_ref().is_some_and(|requirements| {
                    requirements.iter().any(|requirement| {
                        serde_json::to_value(requirement)
                            .is_ok_and(|value| value.as_object().is_some_and(|o| o.is_empty()))
                    })
                });
                if !public {
                    add_problem(operation, "401", "Not signed in");
                }
                let takes_body = operation.request_body.is_some();
                let takes_query = operation.parameters.iter().flatten().any(|parameter| {
                    matches!(parameter, utoipa::openapi::RefOr::T(p) if p.parameter_in == ParameterIn::Query)
                });
                if takes_body {
                    add_problem(operation, "400", "Malformed JSON body or unknown field");
                    add_problem(operation, "413", "Body too large");
                    add_problem(operation, "415", "Body is not `application/json`");
                } else if takes_query {
                    add_problem(operation, "400", "Unknown or malformed query parameter");
                }
            }
        }
    }
}

fn add_problem(operation: &mut Operation, status: &str, description: &str) {
    operation
        .responses
        .responses
        .entry(status.to_owned())
        .or_insert_with(|| {
            ResponseBuilder::new()
                .description(description)
                .content(
                    proto::PROBLEM_CONTENT_TYPE,
                    ContentBuilder::new()
                        .schema(Some(Ref::from_schema_name("Problem")))
                        .build(),
                )
                .build()
                .into()
        });
}
