-- Schema version 3: sending caps counted across nodes. SQLite serves one node, which counts its
-- caps in memory (InProcessSendRateLimiter), so this version stores nothing here; the script
-- exists so both backends keep the same version numbers.
SELECT 1;
