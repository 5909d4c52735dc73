//! Runs the seed's automation task over the client (filled in below).
