using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using System.Text;
using ReferralOS.Sdk.Shared;

namespace ReferralOS.Sdk.History;

/// <summary>
/// What an up-to-date history holds, in two numbers: how many rows, and the sum over the rows of PostgreSQL's 64-bit
/// <c>hashtextextended</c> of the row's <see cref="HistoryLine"/>. The server computes it over <c>schema_migrations</c> and
/// this class computes it over the catalog, so the up-to-date check compares two numbers instead of shipping
/// every row to the client — the difference between 10 and 1,000 migrations is then a scan on the server, not a
/// thousand rows parsed and compared here. The sum does not depend on row order, so no sort is needed either.
/// Equal digests mean the same (version, checksum) pairs except with a probability of about 2⁻⁶⁴; unequal ones
/// (or a server whose hash differs, such as a big-endian one) only send the caller to the full read, which
/// validates row by row as always.
/// </summary>
internal sealed record HistoryDigest(int Count, Int128 Sum)
{
    private const uint Golden = 0x9e3779b9;
    private const uint PostgresOffset = 3923095;

    /// <summary>The digest an up-to-date history has, from the catalog's history text (<see cref="HistoryLine.Join"/>).</summary>
    public static HistoryDigest Of(string history)
    {
        if (history.Length == 0)
        {
            return new HistoryDigest(0, 0);
        }

        var count = 0;
        Int128 sum = 0;
        Span<byte> buffer = stackalloc byte[512];
        var rest = history.AsSpan();
        while (true)
        {
            // A plain split on LF: EnumerateLines would also split on CR and Unicode separators, and cost a first call more.
            var end = rest.IndexOf(HistoryLine.LineSeparator);
            var line = end < 0 ? rest : rest[..end];
            var length = Encoding.UTF8.GetByteCount(line);
            var bytes = length <= buffer.Length ? buffer[..length] : new byte[length];
            Encoding.UTF8.GetBytes(line, bytes);
            sum += HashBytesExtended(bytes, seed: 0);
            count++;
            if (end < 0)
            {
                return new HistoryDigest(count, sum);
            }

            rest = rest[(end + 1)..];
        }
    }

    /// <summary>The count as a SQL integer literal.</summary>
    public string CountLiteral { get; } = Count.ToString(CultureInfo.InvariantCulture);

    /// <summary>The sum as a SQL numeric literal.</summary>
    public string SumLiteral { get; } = Sum.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// PostgreSQL's <c>hash_bytes_extended</c> (src/common/hashfn.c; <c>hashtextextended</c> applies it to the text's
    /// bytes): Bob Jenkins' lookup3 with PostgreSQL's initial state and a 64-bit result (b in the high half, c in the
    /// low), reading the bytes as a little-endian server does. PostgreSQL keeps this function stable across releases:
    /// hash-partitioned tables depend on it.
    /// </summary>
    internal static long HashBytesExtended(ReadOnlySpan<byte> key, long seed)
    {
        uint a, b, c;
        a = b = c = Golden + (uint)key.Length + PostgresOffset;
        if (seed != 0)
        {
            a += (uint)((ulong)seed >> 32);
            b += (uint)seed;
            Mix(ref a, ref b, ref c);
        }

        while (key.Length >= 12)
        {
            a += BinaryPrimitives.ReadUInt32LittleEndian(key);
            b += BinaryPrimitives.ReadUInt32LittleEndian(key[4..]);
            c += BinaryPrimitives.ReadUInt32LittleEndian(key[8..]);
            Mix(ref a, ref b, ref c);
            key = key[12..];
        }

        // The last 0–11 bytes; as in lookup3, the lowest byte of c is not used.
        switch (key.Length)
        {
            case 11: c += (uint)key[10] << 24; goto case 10;
            case 10: c += (uint)key[9] << 16; goto case 9;
            case 9: c += (uint)key[8] << 8; goto case 8;
            case 8: b += (uint)key[7] << 24; goto case 7;
            case 7: b += (uint)key[6] << 16; goto case 6;
            case 6: b += (uint)key[5] << 8; goto case 5;
            case 5: b += key[4]; goto case 4;
            case 4: a += (uint)key[3] << 24; goto case 3;
            case 3: a += (uint)key[2] << 16; goto case 2;
            case 2: a += (uint)key[1] << 8; goto case 1;
            case 1: a += key[0]; break;
        }

        Final(ref a, ref b, ref c);
        return (long)(((ulong)b << 32) | c);
    }

    private static void Mix(ref uint a, ref uint b, ref uint c)
    {
        a -= c; a ^= BitOperations.RotateLeft(c, 4); c += b;
        b -= a; b ^= BitOperations.RotateLeft(a, 6); a += c;
        c -= b; c ^= BitOperations.RotateLeft(b, 8); b += a;
        a -= c; a ^= BitOperations.RotateLeft(c, 16); c += b;
        b -= a; b ^= BitOperations.RotateLeft(a, 19); a += c;
        c -= b; c ^= BitOperations.RotateLeft(b, 4); b += a;
    }

    private static void Final(ref uint a, ref uint b, ref uint c)
    {
        c ^= b; c -= BitOperations.RotateLeft(b, 14);
        a ^= c; a -= BitOperations.RotateLeft(c, 11);
        b ^= a; b -= BitOperations.RotateLeft(a, 25);
        c ^= b; c -= BitOperations.RotateLeft(b, 16);
        a ^= c; a -= BitOperations.RotateLeft(c, 4);
        b ^= a; b -= BitOperations.RotateLeft(a, 14);
        c ^= b; c -= BitOperations.RotateLeft(b, 24);
    }
}
