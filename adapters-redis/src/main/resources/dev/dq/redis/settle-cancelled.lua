#!lua flags=allow-oom
-- settle-cancelled: end this delivery as cancelled (TaskCancels.settleCancelled): record it and forget the task, like
-- an ack, but as cancelled and without a result. Fenced like ack.
-- KEYS[1] active  KEYS[2] leases  KEYS[3] tasks  KEYS[4] attempts  KEYS[5] priorities  KEYS[6] delayed
-- KEYS[7] records  KEYS[8] finished  KEYS[9] started  KEYS[10] errors  KEYS[11] cancelled
-- ARGV[1] id  ARGV[2] fencing token  ARGV[3] now ms override ('' = Redis TIME; test hook)
-- Replies: 'OK' | 'LEASE_LOST' (nothing changed)
-- Uses server_now (_now.lua), lease_expiry (_lease.lua) and cancel_end (_cancel.lua), which Script.java puts in front
-- of this text.
local now = server_now(ARGV[#ARGV])
if not lease_expiry(KEYS[1], KEYS[2], ARGV[1], ARGV[2], now) then return 'LEASE_LOST' end
cancel_end({active = KEYS[1], leases = KEYS[2], tasks = KEYS[3], attempts = KEYS[4], priorities = KEYS[5],
  delayed = KEYS[6], records = KEYS[7], finished = KEYS[8], started = KEYS[9], errors = KEYS[10],
  cancelled = KEYS[11]}, ARGV[1], now, true)
return 'OK'
