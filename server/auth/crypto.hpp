#pragma once
// Secrets: random tokens, hashing of high-entropy secrets (SHA-256) and reviewer passwords
// (argon2id via libsodium crypto_pwhash_str).
#include <string>

#include "common/result.hpp"

namespace itsa::server {

/// Initialises libsodium (idempotent); false when it cannot.
bool crypto_init();
/// `bytes` random bytes as URL-safe base64 without padding.
std::string random_token(std::size_t bytes = 32);
/// Lower-case hex SHA-256 of a high-entropy secret (tokens, agent secrets, session ids).
std::string hash_secret(const std::string& secret);
/// argon2id hash string of a password (interactive limits).
Result<std::string> hash_password(const std::string& password);
/// True when the password matches the stored hash string.
bool verify_password(const std::string& password, const std::string& hash);
/// Constant-time comparison of two strings.
bool equal_constant_time(const std::string& a, const std::string& b);

}  // namespace itsa::server
