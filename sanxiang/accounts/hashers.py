"""A cheaper Argon2 profile for the test suite only.

It is the same algorithm and the same encoded format (parameters are stored in each hash, so
verification works across profiles); only memory and time cost are low so that a suite creating
hundreds of accounts stays fast. Production uses Django's Argon2PasswordHasher defaults.
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class LightArgon2PasswordHasher(Argon2PasswordHasher):
    time_cost = 1
    memory_cost = 1024
    parallelism = 1
