-- queue-delete: remove every key of a queue that holds no task at all (none ready, delayed, in flight or dead).
-- KEYS[1] ready  KEYS[2] delayed  KEYS[3] active  KEYS[4] dead  KEYS[5] leases  KEYS[6] token-seq  KEYS[7] notify
-- KEYS[8] dead-seq  KEYS[9] acked (remembered single acks)  KEYS[10] enqueued (proofs of recent enqueue calls)
-- KEYS[11] tasks  KEYS[12] attempts  KEYS[13] failures  KEYS[14] dumps
-- KEYS[15 .. 26] the priority levels' block (_levels.lua): levels, priorities, the ready lists of levels 0..9
-- KEYS[27] records  KEYS[28] finished  KEYS[29] started  KEYS[30] errors  KEYS[31] cancelled (the finished tasks'
--   records go with the queue)
-- KEYS[32] unique  KEYS[33] unique-of  KEYS[34] unique-until (deleting the queue releases its unique keys, windows too)
-- KEYS[35] throughput (the queue's per-minute history goes with it)
-- KEYS[36 ..] the queue's acked:<b> bitmaps and claim:<nonce> keys the caller found (SCAN)
-- Replies: 'OK' | {'NOT_EMPTY', ready, delayed, in flight, dead} (nothing changed)
-- One the caller missed (written between its SCAN and this call) expires on its own; a new token-seq starts far above
-- any token an old acked:<b> names.
-- The caller removes the name from dq:queues afterwards (another cluster slot).
-- Every level's list, whatever `levels` says, so that no ready id is ever deleted with the keys.
local ready = 0
for i = 17, 26 do ready = ready + redis.call('LLEN', KEYS[i]) end
local delayed = redis.call('ZCARD', KEYS[2])
local active = redis.call('ZCARD', KEYS[3])
local dead = redis.call('ZCARD', KEYS[4])
if ready + delayed + active + dead > 0 then return {'NOT_EMPTY', ready, delayed, active, dead} end
redis.call('DEL', unpack(KEYS))
return 'OK'
