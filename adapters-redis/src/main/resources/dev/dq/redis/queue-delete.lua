-- queue-delete: remove every key of a queue that holds no task at all (none ready, delayed, in flight or dead).
-- KEYS[1] ready  KEYS[2] delayed  KEYS[3] active  KEYS[4] dead  KEYS[5] leases  KEYS[6] token-seq  KEYS[7] notify
-- KEYS[8] dead-seq  KEYS[9] acked (remembered acks: the token sequence starts over, so they must go too)
-- KEYS[10] enqueued (proofs of recent enqueue calls)
-- Replies: 'OK' | {'NOT_EMPTY', ready, delayed, in flight, dead} (nothing changed)
-- The caller removes the name from dq:queues afterwards (another cluster slot).
local ready = redis.call('LLEN', KEYS[1])
local delayed = redis.call('ZCARD', KEYS[2])
local active = redis.call('ZCARD', KEYS[3])
local dead = redis.call('ZCARD', KEYS[4])
if ready + delayed + active + dead > 0 then return {'NOT_EMPTY', ready, delayed, active, dead} end
redis.call('DEL', KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7], KEYS[8], KEYS[9], KEYS[10])
return 'OK'
