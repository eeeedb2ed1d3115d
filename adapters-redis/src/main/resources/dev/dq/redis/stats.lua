-- stats: read the three counts of a queue at one instant. Read-only.
-- KEYS[1] ready  KEYS[2] active  KEYS[3] delayed
-- ARGV: none
-- Replies: {ready, in flight, delayed}
return {redis.call('LLEN', KEYS[1]), redis.call('ZCARD', KEYS[2]), redis.call('ZCARD', KEYS[3])}
