//! Paged lists as streams. Three cursor styles exist: `NextToken`/`MaxResults` (most ECS
//! Describe*), `PageNumber`/`PageSize` (older ECS), `Marker`/`IsTruncated` (RAM).

use std::future::Future;

use futures::stream::{self, BoxStream, StreamExt, TryStreamExt};

use crate::error::AcsError;

/// One fetched page: its items and the cursor of the next page, if any.
pub struct Page<T, C> {
    pub items: Vec<T>,
    pub next: Option<C>,
}

/// Drive `fetch` from `first` until a page has no next cursor; yield every item.
pub fn paginate<T, C, F, Fut>(first: C, fetch: F) -> BoxStream<'static, Result<T, AcsError>>
where
    T: Send + 'static,
    C: Send + 'static,
    F: FnMut(C) -> Fut + Send + 'static,
    Fut: Future<Output = Result<Page<T, C>, AcsError>> + Send + 'static,
{
    stream::try_unfold((Some(first), fetch), |(cursor, mut fetch)| async move {
        let Some(cursor) = cursor else {
            return Ok::<_, AcsError>(None);
        };
        let page = fetch(cursor).await?;
        let items = stream::iter(page.items.into_iter().map(Ok::<T, AcsError>));
        Ok(Some((items, (page.next, fetch))))
    })
    .try_flatten()
    .boxed()
}

/// Next cursor for `NextToken` paging: a non-empty token that differs from the last one.
pub fn next_token(previous: Option<&str>, token: Option<&str>) -> Option<Option<String>> {
    match token {
        Some(t) if !t.is_empty() && Some(t) != previous => Some(Some(t.to_string())),
        _ => None,
    }
}

/// Next page number for `PageNumber` paging, from what the reply says.
pub fn next_page_number(page: u32, page_size: u32, total: u64, got: usize) -> Option<u32> {
    let seen = u64::from(page.saturating_sub(1)) * u64::from(page_size) + got as u64;
    (got > 0 && seen < total).then_some(page + 1)
}

/// A `Client` method that streams every item of a `NextToken`-paged action. The request
/// type needs a `next_token: Option<String>` field; `$split` takes a reply apart into
/// (items, next token).
macro_rules! next_token_stream {
    ($(#[$doc:meta])* $name:ident, $page_fn:ident, $req:ty, $item:ty, $split:expr) => {
        $(#[$doc])*
        pub fn $name(
            &self,
            region: &str,
            req: $req,
        ) -> futures::stream::BoxStream<'static, Result<$item, $crate::error::AcsError>> {
            let (client, region) = (self.clone(), region.to_string());
            paginate(req.next_token.clone(), move |token: Option<String>| {
                let (client, region) = (client.clone(), region.clone());
                let mut req = req.clone();
                req.next_token = token.clone();
                async move {
                    let reply = client.$page_fn(&region, &req).await?;
                    let (items, next): (Vec<$item>, Option<String>) = ($split)(reply);
                    Ok(Page {
                        next: next_token(token.as_deref(), next.as_deref()),
                        items,
                    })
                }
            })
        }
    };
}
pub(crate) use next_token_stream;

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn stream_walks_every_page_once() {
        let s = paginate(0u32, |n| async move {
            Ok(Page {
                items: vec![n * 10, n * 10 + 1],
                next: (n < 2).then_some(n + 1),
            })
        });
        let all: Vec<u32> = s.try_collect().await.unwrap();
        assert_eq!(all, [0, 1, 10, 11, 20, 21]);
    }

    #[tokio::test]
    async fn an_error_ends_the_stream_after_earlier_items() {
        let s = paginate(0u32, |n| async move {
            if n == 1 {
                Err(AcsError::InvalidRequest("boom".into()))
            } else {
                Ok(Page {
                    items: vec![n],
                    next: Some(n + 1),
                })
            }
        });
        let got: Vec<Result<u32, AcsError>> = s.collect().await;
        assert_eq!(got.len(), 2);
        assert!(got[0].is_ok() && got[1].is_err());
    }

    #[test]
    fn cursor_rules() {
        assert_eq!(next_token(None, Some("t1")), Some(Some("t1".into())));
        assert_eq!(
            next_token(Some("t1"), Some("t1")),
            None,
            "a repeated token ends paging"
        );
        assert_eq!(next_token(None, Some("")), None);
        assert_eq!(next_token(None, None), None);
        assert_eq!(next_page_number(1, 10, 25, 10), Some(2));
        assert_eq!(next_page_number(3, 10, 25, 5), None);
        assert_eq!(
            next_page_number(1, 10, 25, 0),
            None,
            "an empty page ends paging"
        );
    }
}
