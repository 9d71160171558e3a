//! The memory store's articles: a revision check, then the article and its search
//! document under one lock.

use super::Inner;
use crate::store::ArticleWrite;
use crate::Result;

impl Inner {
    pub(super) fn put_article(&mut self, write: ArticleWrite) -> Result<()> {
        let stored = (self.articles.get(&write.article.id)).map_or(0, |a| a.revision);
        if stored != write.expected {
            return Err(write.conflict(stored));
        }
        self.search.put(write.index);
        self.articles
            .insert(write.article.id.clone(), write.article);
        Ok(())
    }
}
