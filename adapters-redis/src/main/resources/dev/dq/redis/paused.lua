-- paused: read a queue's pause. Read-only.
-- KEYS[1] paused
-- ARGV[1] now ms override ('' = Redis TIME; test hook)
-- Replies: the pause's JSON (see pause.lua), or nil if the queue is not paused (a pause whose "until" has passed on
-- the server's clock is over, even if its key has not expired yet)
-- Uses server_now (_now.lua), which Script.java puts in front of this text.
local json = redis.call('GET', KEYS[1])
if not json then return nil end
local p = cjson.decode(json)
if p['until'] and tonumber(p['until']) <= server_now(ARGV[1]) then return nil end
return json
