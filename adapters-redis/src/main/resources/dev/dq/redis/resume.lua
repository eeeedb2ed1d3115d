#!lua flags=allow-oom
-- resume: end a queue's pause and wake the idle workers of every process at once.
-- KEYS[1] paused  KEYS[2] ready  KEYS[3] notify (wake-up list)  KEYS[4 .. 15] the priority levels' block (_levels.lua)
-- Replies: 1 if the queue was paused, 0 if not (then nothing changed)
-- Pushes one wake-up per ready task (of every priority level), at most 64 (what the enqueues would have pushed), so that as many waiting
-- workers come at once, in every process.
if redis.call('DEL', KEYS[1]) == 0 then return 0 end
local n = math.max(1, math.min(ready_count(4), 64))
local wakeups = {}
for i = 1, n do wakeups[i] = '1' end
redis.call('RPUSH', KEYS[3], unpack(wakeups))
redis.call('LTRIM', KEYS[3], -64, -1)
return 1
