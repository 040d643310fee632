using System.Buffers.Binary;
using System.IO.Compression;

namespace SSIS.Batch.Tests.Report;

/// <summary>
/// Reads the pixels of an 8-bit, non-interlaced RGB or RGBA PNG (what Chromium's screenshots are): the IDAT chunks
/// inflated (zlib) and each scanline's filter undone. .NET has no PNG decoder of its own.
/// </summary>
public sealed class PngImage
{
    public int Width { get; }
    public int Height { get; }
    private readonly byte[] _pixels;
    private readonly int _channels;

    public PngImage(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var idat = new MemoryStream();
        for (var at = 8; at < bytes.Length;)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(at));
            var type = System.Text.Encoding.ASCII.GetString(bytes, at + 4, 4);
            var data = bytes.AsSpan(at + 8, length);
            if (type == "IHDR")
            {
                Width = BinaryPrimitives.ReadInt32BigEndian(data);
                Height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                if (data[8] != 8 || data[12] != 0 || data[9] is not (2 or 6))
                    throw new NotSupportedException($"{path}: only 8-bit non-interlaced RGB/RGBA (bit depth {data[8]}, colour type {data[9]}, interlace {data[12]})");
                _channels = data[9] == 2 ? 3 : 4;
            }
            else if (type == "IDAT") idat.Write(data);
            at += 12 + length;
        }
        idat.Position = 0;
        using var inflated = new MemoryStream();
        using (var zlib = new ZLibStream(idat, CompressionMode.Decompress)) zlib.CopyTo(inflated);
        _pixels = Unfilter(inflated.ToArray());
    }

    /// <summary>How many different colours the image holds (a blank page has one).</summary>
    public int DistinctColours()
    {
        var colours = new HashSet<int>();
        for (var i = 0; i < _pixels.Length; i += _channels) colours.Add(_pixels[i] << 16 | _pixels[i + 1] << 8 | _pixels[i + 2]);
        return colours.Count;
    }

    private byte[] Unfilter(byte[] raw)
    {
        var stride = Width * _channels;
        var pixels = new byte[stride * Height];
        for (var y = 0; y < Height; y++)
        {
            var filter = raw[y * (stride + 1)];
            var line = raw.AsSpan(y * (stride + 1) + 1, stride);
            for (var x = 0; x < stride; x++)
            {
                int left = x >= _channels ? pixels[y * stride + x - _channels] : 0;
                int up = y > 0 ? pixels[(y - 1) * stride + x] : 0;
                int upLeft = x >= _channels && y > 0 ? pixels[(y - 1) * stride + x - _channels] : 0;
                pixels[y * stride + x] = (byte)(line[x] + filter switch
                {
                    0 => 0,
                    1 => left,
                    2 => up,
                    3 => (left + up) / 2,
                    4 => Paeth(left, up, upLeft),
                    _ => throw new InvalidDataException($"PNG filter {filter}"),
                });
            }
        }
        return pixels;
    }

    private static int Paeth(int a, int b, int c)
    {
        var p = a + b - c;
        var (pa, pb, pc) = (Math.Abs(p - a), Math.Abs(p - b), Math.Abs(p - c));
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}
