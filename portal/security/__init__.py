"""Security primitives, and nothing else: a reviewer audits Kenes' security by reading here.

headers (CSP and friends), privacy (scrubbing addresses and agents from requests and logs),
fingerprint (the ballot secret's guard), and — as the issues bring them — passwords, totp,
tokens, throttle and sanitize.
"""
