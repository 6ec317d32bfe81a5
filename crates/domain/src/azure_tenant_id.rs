use uuid::Uuid;

/// A Microsoft Entra tenant ID: a GUID, always kept in its lower-case hyphenated form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct AzureTenantId(Uuid);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AzureTenantIdError {
    #[error(
        "a tenant ID is a GUID such as 5f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f (find it in the Entra admin center under Overview)"
    )]
    NotAGuid,
}

impl AzureTenantId {
    /// Accepts the hyphenated GUID in either case, with or without surrounding braces.
    pub fn parse(raw: &str) -> Result<Self, AzureTenantIdError> {
        let trimmed = raw.trim();
        let inner = trimmed
            .strip_prefix('{')
            .and_then(|rest| rest.strip_suffix('}'))
            .unwrap_or(trimmed);
        // Only the 36-character hyphenated form: the simple and URN forms are not what Entra shows.
        if inner.len() != 36 {
            return Err(AzureTenantIdError::NotAGuid);
        }
        Uuid::try_parse(inner)
            .map(Self)
            .map_err(|_| AzureTenantIdError::NotAGuid)
    }

    pub fn as_uuid(&self) -> Uuid {
        self.0
    }
}

impl std::fmt::Display for AzureTenantId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0.hyphenated())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upper_lower_and_braced_forms_parse_to_the_lower_case_guid() {
        let expected = "5f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f";
        for raw in [
            expected,
            "5F1C2D3E-4A5B-4C6D-8E7F-9A0B1C2D3E4F",
            "{5f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f}",
            " 5f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f ",
        ] {
            assert_eq!(
                AzureTenantId::parse(raw).unwrap().to_string(),
                expected,
                "input {raw:?}"
            );
        }
    }

    #[test]
    fn anything_but_a_guid_is_rejected() {
        for raw in [
            "",
            "not-a-guid",
            "5f1c2d3e4a5b4c6d8e7f9a0b1c2d3e4f",
            "{5f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f",
            "5f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4g",
            "urn:uuid:5f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f",
        ] {
            assert_eq!(
                AzureTenantId::parse(raw),
                Err(AzureTenantIdError::NotAGuid),
                "input {raw:?}"
            );
        }
    }
}
