//! A page's URL and the site key it gives.

/// The site key of a URL, as the command line makes it: its host, lowercased, without
/// a leading `www.` or a trailing dot (the evaluation pack's convention); `None` if the
/// URL has no `scheme://host`. Any other key works as well: a site model only compares
/// keys.
///
/// ```
/// assert_eq!(boildown::site_key("https://www.Example.org:443/a?b#c").as_deref(), Some("example.org"));
/// assert_eq!(boildown::site_key("http://user:pw@news.example.com./").as_deref(), Some("news.example.com"));
/// assert_eq!(boildown::site_key("http://[::1]:8080/").as_deref(), Some("[::1]"));
/// assert_eq!(boildown::site_key("example.org/a"), None);
/// ```
pub fn site_key(url: &str) -> Option<String> {
    let (scheme, rest) = url.trim().split_once("://")?;
    if scheme.is_empty()
        || !scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    {
        return None;
    }
    let authority = rest.split(['/', '?', '#']).next()?;
    let host_port = authority.rsplit('@').next()?;
    let host = if host_port.starts_with('[') {
        &host_port[..host_port.find(']')? + 1]
    } else {
        host_port.split(':').next()?
    };
    let host = host.trim_end_matches('.').to_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host);
    (!host.is_empty()).then(|| host.to_owned())
}
