"""The signing service: verified login identity in, Intercom identity verification out."""
