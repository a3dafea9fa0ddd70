namespace DualCache.Memcached.Connections;

/// <summary>A key in its wire form, kept on the heap for batches (single operations encode onto the stack).</summary>
internal readonly record struct EncodedKey(byte[] Bytes, bool Base64);
