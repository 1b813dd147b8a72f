/* A tiny strict JSON reader (RFC 8259), libc only.
 *
 * Why not jansson: the shim reads package.json on every `node` call and must
 * link libc only. This reader validates the whole text in one pass and
 * records every value as a token in one flat array (grown geometrically, so
 * a document costs a handful of allocations, never one per byte). Strings are
 * not copied: a token points into the caller's text and is decoded only when
 * asked (mj_str_eq, mj_str_copy), which keeps parsing cheap when only two or
 * three fields are wanted.
 *
 * Layout of the token array, in document order:
 *   - a scalar is one token;
 *   - an array is its token followed by each element's tokens;
 *   - an object is its token followed, per member, by the key (a string
 *     token) and then the value's tokens.
 * tok.end is the index one past a value's last descendant, so the next
 * sibling of token i is always doc->tok[i].end. Index 0 is the top value.
 *
 * Strictness: exactly RFC 8259. Rejected: trailing commas, comments, single
 * quotes, unquoted keys, leading zeros, "+1", ".5", "1.", NaN/Infinity, raw
 * control characters (< 0x20) in strings, escapes other than
 * \" \\ \/ \b \f \n \r \t \uXXXX, anything after the top value, and nesting
 * deeper than MJ_MAX_DEPTH (an error, never a stack overflow: the parser is
 * iterative). Accepted as JSON.parse accepts them: lone surrogate escapes
 * (decoded to U+FFFD so that decoded text is valid UTF-8) and bytes >= 0x80
 * inside strings, passed through unchanged (node decodes a file as UTF-8
 * before JSON.parse and never fails on that). Duplicate keys are allowed;
 * mj_get returns the last one, as JSON.parse does.
 *
 * Ownership: mj_parse borrows `text`, which must outlive the document; the
 * document owns only its token array, released by mj_free. */
#ifndef NODUS_MINIJSON_H
#define NODUS_MINIJSON_H
#include <stddef.h>
#include <stdint.h>

#define MJ_MAX_DEPTH 512 /* nested arrays/objects; deeper is an error */
#define MJ_NONE UINT32_MAX /* "no such token": what lookups return on a miss */

typedef enum {
    MJ_INVALID = 0, /* what mj_type says of MJ_NONE or an out-of-range index */
    MJ_NULL,
    MJ_FALSE,
    MJ_TRUE,
    MJ_NUMBER,
    MJ_STRING,
    MJ_ARRAY,
    MJ_OBJECT
} mj_type_t;

typedef struct {
    uint32_t start; /* offset in the text; for strings, just after the '"' */
    uint32_t len;   /* raw length; for strings, without the quotes */
    uint32_t end;   /* index of the token after this value and its children */
    uint32_t count; /* arrays: elements; objects: members; else 0 */
    uint8_t type;   /* an mj_type_t */
    uint8_t escaped; /* strings: the raw text has a backslash to decode */
} mj_token;

typedef struct {
    const char *text; /* borrowed */
    size_t len;
    mj_token *tok; /* owned; read-only for callers */
    uint32_t ntok, cap;
} mj_doc;

typedef struct {
    size_t offset;        /* byte offset where the problem was seen */
    unsigned long line;   /* 1-based; LF, CRLF and CR each end a line */
    unsigned long column; /* 1-based, in characters (a UTF-8 sequence counts once) */
    char what[64];        /* lower case, e.g. "trailing comma before '}'" */
} mj_error;

/* Parse text[0..len). Returns 0 with *doc filled, or -1 with *err filled (err
 * may be NULL) and *doc left empty. Either way mj_free(doc) is safe. Texts of
 * 4 GiB or more are refused (indices are 32-bit to keep tokens small). */
int mj_parse(mj_doc *doc, const char *text, size_t len, mj_error *err);

/* Release the token array. Safe on a zeroed or already freed document. */
void mj_free(mj_doc *doc);

/* The type of token i, MJ_INVALID when i is MJ_NONE or out of range. Every
 * function below accepts MJ_NONE, so lookups chain without checks:
 *   mj_get(d, mj_get(d, 0, "engines"), "node") */
mj_type_t mj_type(const mj_doc *doc, uint32_t i);

/* Members of an array or object (0 for anything else). */
uint32_t mj_count(const mj_doc *doc, uint32_t i);

/* The value of member `key` of object obj (the last one if the key is
 * repeated), or MJ_NONE when obj is not an object or has no such key. Keys
 * are compared after decoding escapes. */
uint32_t mj_get(const mj_doc *doc, uint32_t obj, const char *key);

/* Iteration. mj_first gives the first element of an array (or first key of
 * an object), MJ_NONE when empty; mj_next gives the sibling after value i
 * (for an object, from a key go to its value with i + 1, and from the value
 * to the next key with mj_next). Stop after mj_count steps. */
uint32_t mj_first(const mj_doc *doc, uint32_t i);
uint32_t mj_next(const mj_doc *doc, uint32_t i);

/* 1 when token i is a string whose decoded text equals s exactly (a string
 * with an escaped NUL never equals a C string), else 0. */
int mj_str_eq(const mj_doc *doc, uint32_t i, const char *s);

/* Decode string token i into dst (NUL-terminated, truncated to n - 1 bytes;
 * dst may be NULL when n is 0). Returns the full decoded length, like
 * snprintf, so a result >= n means truncation, and a result differing from
 * strlen(dst) means the string holds an escaped NUL. Not a string: returns 0
 * and writes "". */
size_t mj_str_copy(const mj_doc *doc, uint32_t i, char *dst, size_t n);

#endif
