-- POST /v1/events with the ~600-byte flat alert of API.md. Every request carries a new `id`,
-- so nothing is answered from the idempotency ledger: each 202 is a durable insert.
local token = os.getenv("BENCH_ADMIN_TOKEN") or ""
local counter = 0
local prefix = "x"

function init(args)
  math.randomseed(os.time() + math.floor(os.clock() * 1e6))
  prefix = string.format("%08x", math.random(0, 0x7fffffff))
end

local template = '{"id":"%s-%010d","source":"suricata-sensor-07","severity":"high",'
  .. '"title":"ET POLICY Possible outbound SSH brute force attempt",'
  .. '"src_ip":"10.20.%d.%d","dst_ip":"203.0.113.77","user":"svc-backup",'
  .. '"host":"web-prod-03.corp.example.com","timestamp":"2024-05-17T13:45:22.123Z",'
  .. '"tags":["ssh","bruteforce"],"raw":{"signature_id":"2001219","dest_port":"22","proto":"TCP",'
  .. '"app_proto":"ssh","in_iface":"eth0","flow_id":"1391220811572012","community_id":"1:Ku8hT0Rt2hUOAi2v1dI0MpXHdN8=",'
  .. '"category":"Potential Corporate Privacy Violation","rev":"7","gid":"1"}}'

function request()
  counter = counter + 1
  local body = string.format(template, prefix, counter, math.floor(counter / 250) % 250, counter % 250)
  return wrk.format("POST", nil, {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token}, body)
end
