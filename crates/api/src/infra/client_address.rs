//! The address a request comes from. Behind a load balancer every connection is the balancer's,
//! so the forwarding headers (`Forwarded`, else `X-Forwarded-For`) are believed, but only from
//! the proxies the operator names: anyone else could write any address there.

use std::net::IpAddr;

use actix_web::{HttpRequest, http::header, web};
use ipnet::IpNet;

use crate::infra::state::AppState;

/// The networks of the reverse proxies whose forwarding headers are believed; none by default.
#[derive(Debug, Clone, Default)]
pub struct TrustedProxies(Vec<IpNet>);

impl TrustedProxies {
    pub fn new(networks: Vec<IpNet>) -> Self {
        Self(networks)
    }

    fn trusts(&self, address: IpAddr) -> bool {
        self.0.iter().any(|network| network.contains(&address))
    }

    /// The client's address: walking the forwarded chain from the nearest hop, the first
    /// address that is not a trusted proxy. An unreadable entry ends the walk at the last
    /// address that could be read.
    pub fn client_address<'a>(
        &self,
        peer: IpAddr,
        forwarded_nearest_last: impl DoubleEndedIterator<Item = &'a str>,
    ) -> IpAddr {
        let mut client = peer;
        if !self.trusts(client) {
            return client;
        }
        for hop in forwarded_nearest_last.rev() {
            let Some(address) = parse_hop(hop) else {
                return client;
            };
            client = address;
            if !self.trusts(client) {
                return client;
            }
        }
        client
    }
}

/// A network in CIDR notation; a bare address is a network of one.
pub fn parse_network(raw: &str) -> Result<IpNet, String> {
    let raw = raw.trim();
    raw.parse::<IpNet>()
        .or_else(|_| raw.parse::<IpAddr>().map(IpNet::from))
        .map_err(|_| format!("{raw:?} is not an address or a network in CIDR notation"))
}

/// One hop of `X-Forwarded-For` (`203.0.113.7`) or the value of a `Forwarded` `for=`
/// (`"[2001:db8::1]:4711"`, `203.0.113.7:80`).
fn parse_hop(raw: &str) -> Option<IpAddr> {
    let hop = raw.trim().trim_matches('"');
    if let Ok(address) = hop.parse() {
        return Some(address);
    }
    if let Some(bracketed) = hop.strip_prefix('[') {
        return bracketed.split_once(']')?.0.parse().ok();
    }
    hop.rsplit_once(':')?.0.parse().ok()
}

/// The `for=` values of a `Forwarded` header, nearest hop last.
fn forwarded_for(value: &str) -> Vec<&str> {
    value
        .split(',')
        .filter_map(|element| {
            element.split(';').find_map(|pair| {
                let (name, value) = pair.split_once('=')?;
                name.trim().eq_ignore_ascii_case("for").then_some(value)
            })
        })
        .collect()
}

/// The address `request` comes from, as the audit log and the sign-in throttle see it.
pub fn client_ip(request: &HttpRequest) -> Option<String> {
    let peer = request.peer_addr()?.ip();
    // Every authenticated request asks: the headers are read only behind a trusted proxy.
    let Some(state) = request
        .app_data::<web::Data<AppState>>()
        .filter(|state| state.trusted_proxies.trusts(peer))
    else {
        return Some(peer.to_string());
    };
    let headers = request.headers();
    let joined = |name: header::HeaderName| {
        headers
            .get_all(name)
            .filter_map(|value| value.to_str().ok())
            .collect::<Vec<_>>()
            .join(",")
    };
    let forwarded = joined(header::FORWARDED);
    let chain: Vec<&str> = if forwarded.is_empty() {
        Vec::new()
    } else {
        forwarded_for(&forwarded)
    };
    let x_forwarded_for = joined(header::HeaderName::from_static("x-forwarded-for"));
    let client = if chain.is_empty() {
        state.trusted_proxies.client_address(
            peer,
            x_forwarded_for
                .split(',')
                .filter(|hop| !hop.trim().is_empty()),
        )
    } else {
        state
            .trusted_proxies
            .client_address(peer, chain.into_iter())
    };
    Some(client.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn proxies(networks: &[&str]) -> TrustedProxies {
        TrustedProxies::new(
            networks
                .iter()
                .map(|raw| parse_network(raw).unwrap())
                .collect(),
        )
    }

    fn ip(raw: &str) -> IpAddr {
        raw.parse().unwrap()
    }

    #[test]
    fn forwarding_headers_are_believed_only_from_trusted_proxies() {
        let balancer = proxies(&["10.0.0.0/8", "127.0.0.1"]);
        let cases: [(&TrustedProxies, &str, &[&str], &str); 7] = [
            (
                &TrustedProxies::default(),
                "10.0.0.2",
                &["203.0.113.7"],
                "10.0.0.2",
            ),
            (&balancer, "192.0.2.9", &["203.0.113.7"], "192.0.2.9"),
            (&balancer, "10.0.0.2", &["203.0.113.7"], "203.0.113.7"),
            (
                &balancer,
                "10.0.0.2",
                &["198.51.100.1", "10.0.0.5"],
                "198.51.100.1",
            ),
            // What the client wrote itself stands left of the first untrusted hop: ignored.
            (
                &balancer,
                "10.0.0.2",
                &["1.2.3.4", "198.51.100.1"],
                "198.51.100.1",
            ),
            (&balancer, "10.0.0.2", &["not-an-address"], "10.0.0.2"),
            (&balancer, "10.0.0.2", &[], "10.0.0.2"),
        ];
        for (trusted, peer, chain, expected) in cases {
            assert_eq!(
                trusted.client_address(ip(peer), chain.iter().copied()),
                ip(expected),
                "{peer} {chain:?}"
            );
        }
    }

    #[test]
    fn forwarded_headers_name_their_hops_with_ports_and_brackets() {
        let chain = forwarded_for(r#"for="[2001:db8::1]:4711";proto=https, For=203.0.113.7:80"#);
        assert_eq!(chain.len(), 2);
        assert_eq!(parse_hop(chain[0]), Some(ip("2001:db8::1")));
        assert_eq!(parse_hop(chain[1]), Some(ip("203.0.113.7")));
        assert_eq!(parse_hop("unknown"), None);
    }

    #[test]
    fn a_trusted_network_is_cidr_or_one_address() {
        assert!(parse_network("10.0.0.0/8").is_ok());
        assert!(parse_network(" 127.0.0.1 ").is_ok());
        assert!(parse_network("::1").is_ok());
        assert!(parse_network("10.0.0.0/33").is_err());
        assert!(parse_network("proxy.example").is_err());
    }
}
