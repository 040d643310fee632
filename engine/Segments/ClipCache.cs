using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using SSIS.Batch.Engine.Output;

namespace SSIS.Batch.Engine.Segments;

/// <summary>
/// Clips decoded by <see cref="WholeFileDecoder"/> (the decoder segmentation itself uses, so training sees what
/// inference sees), kept as raw 8 kHz floats in a folder: about a thousand ffmpeg starts cost minutes, a reread
/// milliseconds. The key is the source's path, size, modification time and the stretch asked for.
/// </summary>
public sealed class ClipCache(string folder, string ffmpeg = "ffmpeg")
{
    /// <summary>The clip, or an empty one when ffmpeg cannot decode it (a corpus skips what it cannot read).</summary>
    public float[] ReadOrEmpty(string path, double startSeconds = 0, double? lengthSeconds = null)
    {
        try
        {
            return Read(path, startSeconds, lengthSeconds);
        }
        catch (SSIS.Batch.Engine.Audio.AudioDecodeException)
        {
            return [];
        }
    }

    public float[] Read(string path, double startSeconds = 0, double? lengthSeconds = null)
    {
        var info = new FileInfo(path);
        var key = string.Create(CultureInfo.InvariantCulture, $"{Path.GetFullPath(path)}|{info.Length}|{info.LastWriteTimeUtc.Ticks}|{startSeconds}|{lengthSeconds}");
        var cached = Path.Combine(folder, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..24] + ".f32");
        if (File.Exists(cached)) return MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(cached)).ToArray();
        var samples = WholeFileDecoder.ReadAll(path, ffmpeg, startSeconds, lengthSeconds);
        Directory.CreateDirectory(folder);
        AtomicFile.Write(cached, temp => File.WriteAllBytes(temp, MemoryMarshal.AsBytes(samples.AsSpan()).ToArray()));
        return samples;
    }
}
