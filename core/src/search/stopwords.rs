//! Stop words: the Snowball lists for Spanish and English, trimmed to the words that carry
//! no meaning in a ticket. Matched after lower-casing, before stemming.

pub(super) const SPANISH: &[&str] = &[
    "a", "al", "algo", "algunas", "algunos", "ante", "antes", "como", "con", "contra", "cual",
    "cuando", "de", "del", "desde", "donde", "durante", "e", "el", "ella", "ellas", "ellos", "en",
    "entre", "era", "eran", "es", "esa", "esas", "ese", "eso", "esos", "esta", "estaba", "estas",
    "este", "esto", "estos", "estoy", "fue", "ha", "hay", "la", "las", "le", "les", "lo", "los",
    "me", "mi", "mis", "mucho", "muy", "nos", "o", "os", "otra", "otro", "para", "pero", "poco",
    "por", "porque", "que", "qué", "se", "sea", "ser", "si", "sí", "sin", "sobre", "son", "su",
    "sus", "también", "te", "tengo", "ti", "tu", "tus", "un", "una", "uno", "unos", "y", "ya",
    "yo", "él",
];

pub(super) const ENGLISH: &[&str] = &[
    "a", "about", "after", "all", "am", "an", "and", "any", "are", "as", "at", "be", "been",
    "before", "being", "but", "by", "did", "do", "does", "for", "from", "had", "has", "have", "he",
    "her", "here", "him", "his", "how", "i", "if", "in", "into", "is", "it", "its", "just", "me",
    "my", "of", "on", "or", "our", "she", "so", "than", "that", "the", "their", "them", "then",
    "there", "these", "they", "this", "those", "to", "too", "very", "was", "we", "were", "what",
    "when", "where", "which", "while", "who", "why", "will", "with", "you", "your",
];
