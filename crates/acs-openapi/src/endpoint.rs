//! Which host answers which product in which region (alibaba-api.md §2.1), plus the
//! custom-endpoint override that points every product at one server (the sandbox).

use url::Url;

use crate::error::AcsError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Product {
    Ecs,
    Ram,
    Sts,
}

impl Product {
    pub fn version(self) -> &'static str {
        match self {
            Self::Ecs => "2014-05-26",
            Self::Ram => "2015-05-01",
            Self::Sts => "2015-04-01",
        }
    }

    fn code(self) -> &'static str {
        match self {
            Self::Ecs => "ecs",
            Self::Ram => "ram",
            Self::Sts => "sts",
        }
    }
}

/// Public internet endpoints, or the `-vpc` ones reachable from inside a VPC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Network {
    #[default]
    Public,
    Vpc,
}

/// Resolves endpoints; with an override every product goes to that one base URL.
#[derive(Debug, Clone, Default)]
pub struct EndpointResolver {
    custom: Option<Url>,
    network: Network,
}

impl EndpointResolver {
    pub fn new(network: Network) -> Self {
        Self {
            custom: None,
            network,
        }
    }

    /// One base URL for every product. Plain `http` only for loopback hosts, so keys are
    /// never sent unencrypted over a network.
    pub fn with_custom(mut self, base: &str) -> Result<Self, AcsError> {
        self.custom = Some(parse_custom(base)?);
        Ok(self)
    }

    pub fn custom(&self) -> Option<&Url> {
        self.custom.as_ref()
    }

    /// The base URL (scheme + authority, path `/`) for a product in a region.
    pub fn resolve(&self, product: Product, region: Option<&str>) -> Result<Url, AcsError> {
        if let Some(url) = &self.custom {
            return Ok(url.clone());
        }
        let host = host_for(product, region, self.network);
        Url::parse(&format!("https://{host}/"))
            .map_err(|e| AcsError::InvalidRequest(format!("bad endpoint host {host}: {e}")))
    }
}

impl EndpointResolver {
    /// The endpoint whose politeness limits a call counts against: the host the cloud
    /// serves it from, also when a custom endpoint (the sandbox) answers every product,
    /// so the sandbox is limited like the real cloud's one endpoint per region.
    pub fn politeness_key(&self, product: Product, region: Option<&str>) -> String {
        host_for(product, region, self.network)
    }
}

fn host_for(product: Product, region: Option<&str>, network: Network) -> String {
    let net = match network {
        Network::Public => "",
        Network::Vpc => "-vpc",
    };
    let code = product.code();
    match (product, region.filter(|r| !r.is_empty())) {
        // The SDK endpoint map's one public-region exception.
        (Product::Ecs, Some("cn-hangzhou")) if network == Network::Public => {
            "ecs-cn-hangzhou.aliyuncs.com".into()
        }
        (Product::Ecs | Product::Sts, Some(region)) => format!("{code}{net}.{region}.aliyuncs.com"),
        // RAM is central; ECS/STS without a region use the central host.
        _ => format!("{code}{net}.aliyuncs.com"),
    }
}

fn parse_custom(base: &str) -> Result<Url, AcsError> {
    let bad = |why: String| AcsError::InvalidRequest(format!("endpoint '{base}': {why}"));
    let url = Url::parse(base).map_err(|e| bad(e.to_string()))?;
    match url.scheme() {
        "https" => {}
        "http" => {
            let loopback = matches!(
                url.host(),
                Some(url::Host::Domain("localhost"))
                    | Some(url::Host::Ipv4(std::net::Ipv4Addr::LOCALHOST))
                    | Some(url::Host::Ipv6(std::net::Ipv6Addr::LOCALHOST))
            );
            if !loopback {
                return Err(bad(
                    "plain http is only allowed for 127.0.0.1, localhost or [::1]; use https"
                        .into(),
                ));
            }
        }
        other => return Err(bad(format!("unsupported scheme '{other}'"))),
    }
    if url.host().is_none() {
        return Err(bad("no host".into()));
    }
    if url.path() != "/" || url.query().is_some() {
        return Err(bad(
            "give only scheme, host and port (no path or query)".into()
        ));
    }
    Ok(url)
}

/// The `host` header value for a URL: host plus port when not the scheme's default.
pub fn host_header(url: &Url) -> String {
    let host = url.host_str().unwrap_or_default();
    match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn host(p: Product, r: Option<&str>, n: Network) -> String {
        EndpointResolver::new(n)
            .resolve(p, r)
            .unwrap()
            .host_str()
            .unwrap()
            .to_string()
    }

    #[test]
    fn regional_ecs_with_the_hangzhou_exception() {
        use Network::*;
        assert_eq!(
            host(Product::Ecs, Some("cn-beijing"), Public),
            "ecs.cn-beijing.aliyuncs.com"
        );
        assert_eq!(
            host(Product::Ecs, Some("cn-hangzhou"), Public),
            "ecs-cn-hangzhou.aliyuncs.com"
        );
        assert_eq!(
            host(Product::Ecs, Some("cn-hangzhou"), Vpc),
            "ecs-vpc.cn-hangzhou.aliyuncs.com"
        );
        assert_eq!(host(Product::Ecs, None, Public), "ecs.aliyuncs.com");
    }

    #[test]
    fn central_ram_and_regional_or_central_sts() {
        use Network::*;
        assert_eq!(
            host(Product::Ram, Some("cn-beijing"), Public),
            "ram.aliyuncs.com"
        );
        assert_eq!(host(Product::Ram, None, Vpc), "ram-vpc.aliyuncs.com");
        assert_eq!(host(Product::Sts, None, Public), "sts.aliyuncs.com");
        assert_eq!(
            host(Product::Sts, Some("cn-shanghai"), Public),
            "sts.cn-shanghai.aliyuncs.com"
        );
        assert_eq!(
            host(Product::Sts, Some("cn-shanghai"), Vpc),
            "sts-vpc.cn-shanghai.aliyuncs.com"
        );
    }

    #[test]
    fn a_custom_endpoint_keeps_one_politeness_key_per_regional_host() {
        let r = EndpointResolver::default()
            .with_custom("http://127.0.0.1:41234")
            .unwrap();
        let key = |p, region| r.politeness_key(p, region);
        assert_eq!(
            key(Product::Ecs, Some("cn-beijing")),
            "ecs.cn-beijing.aliyuncs.com"
        );
        assert_ne!(
            key(Product::Ecs, Some("cn-beijing")),
            key(Product::Ecs, Some("eu-central-1"))
        );
        assert_eq!(key(Product::Ram, Some("cn-beijing")), "ram.aliyuncs.com");
    }

    #[test]
    fn resolved_urls_are_https() {
        let url = EndpointResolver::default()
            .resolve(Product::Ecs, Some("eu-central-1"))
            .unwrap();
        assert_eq!(url.as_str(), "https://ecs.eu-central-1.aliyuncs.com/");
    }

    #[test]
    fn custom_endpoint_serves_every_product() {
        let r = EndpointResolver::default()
            .with_custom("http://127.0.0.1:41234")
            .unwrap();
        for p in [Product::Ecs, Product::Ram, Product::Sts] {
            assert_eq!(
                r.resolve(p, Some("cn-beijing")).unwrap().as_str(),
                "http://127.0.0.1:41234/"
            );
        }
        assert_eq!(host_header(r.custom().unwrap()), "127.0.0.1:41234");
    }

    #[test]
    fn plain_http_only_on_loopback() {
        for ok in [
            "http://localhost:8080",
            "http://127.0.0.1",
            "http://[::1]:9",
            "https://proxy.example.com",
        ] {
            assert!(EndpointResolver::default().with_custom(ok).is_ok(), "{ok}");
        }
        for bad in [
            "http://10.0.0.5:8080",
            "http://example.com",
            "ftp://127.0.0.1",
            "http://127.0.0.1/api",
            "nonsense",
        ] {
            let err = EndpointResolver::default().with_custom(bad).unwrap_err();
            assert!(matches!(err, AcsError::InvalidRequest(_)), "{bad}");
        }
        let err = EndpointResolver::default()
            .with_custom("http://10.0.0.5")
            .unwrap_err();
        assert!(
            err.to_string().contains("only allowed for 127.0.0.1"),
            "{err}"
        );
    }

    #[test]
    fn host_header_omits_default_ports() {
        let u = Url::parse("https://ecs.aliyuncs.com:443/").unwrap();
        assert_eq!(host_header(&u), "ecs.aliyuncs.com");
    }
}
