using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using SSIS.Batch.Engine.Audio;
using SSIS.Batch.Engine.Errors;

namespace SSIS.Batch.Engine.Segments;

/// <summary>
/// A whole file as mono floats (8 kHz, the segmenter's rate, unless asked otherwise) from one ffmpeg process, read in bounded chunks. ffmpeg runs with <c>-xerror</c> so
/// a damaged frame stops the decode (rather than being skipped silently): what came before it has already been read,
/// and <see cref="Read"/> then throws an <see cref="AudioDecodeException"/> with FILE_CORRUPT.
/// </summary>
public sealed class WholeFileDecoder : IDisposable
{
    private readonly Process _process;
    private readonly Stream _stdout;
    private readonly Task<string> _stderr;

    private WholeFileDecoder(Process process)
    {
        _process = process;
        _stdout = process.StandardOutput.BaseStream;
        _stderr = process.StandardError.ReadToEndAsync();
    }

    /// <summary>Starts ffmpeg on <paramref name="path"/>, optionally from <paramref name="startSeconds"/> for <paramref name="lengthSeconds"/>.</summary>
    public static WholeFileDecoder Open(string path, string ffmpegExecutable = "ffmpeg", double startSeconds = 0, double? lengthSeconds = null,
        int sampleRateHz = SegmentFeatures.SampleRateHz)
    {
        if (!File.Exists(path)) throw new AudioDecodeException(Directory.Exists(path) ? ErrorCode.NotAFile : ErrorCode.FileMissing, "file not found");
        var start = new ProcessStartInfo(ffmpegExecutable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        var arguments = new List<string> { "-v", "error", "-nostdin", "-xerror" };
        if (startSeconds > 0) arguments.AddRange(["-ss", startSeconds.ToString("R", CultureInfo.InvariantCulture)]);
        if (lengthSeconds is { } length) arguments.AddRange(["-t", length.ToString("R", CultureInfo.InvariantCulture)]);
        arguments.AddRange(["-i", path, "-map", "0:a:0", "-ac", "1", "-ar", sampleRateHz.ToString(CultureInfo.InvariantCulture),
            "-f", "f32le", "pipe:1"]);
        foreach (var a in arguments) start.ArgumentList.Add(a);
        return new WholeFileDecoder(ChildProcesses.Start(start, "install ffmpeg (apt-get install ffmpeg) or run './run.sh setup'"));
    }

    /// <summary>Fills <paramref name="samples"/> as far as the stream allows; returns the count, 0 at a clean end.</summary>
    public int Read(Span<float> samples)
    {
        var bytes = MemoryMarshal.AsBytes(samples);
        var filled = 0;
        while (filled < bytes.Length)
        {
            var read = _stdout.Read(bytes[filled..]);
            if (read == 0) break;
            filled += read;
        }
        if (filled == 0) CheckExit();
        return filled / sizeof(float);
    }

    private void CheckExit()
    {
        _process.WaitForExit();
        if (_process.ExitCode == 0) return;
        var lines = _stderr.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var message = lines.FirstOrDefault(l => !l.StartsWith("[f32le", StringComparison.Ordinal)) ?? $"ffmpeg exited {_process.ExitCode}";
        throw new AudioDecodeException(ErrorCode.FileCorrupt, message);
    }

    /// <summary>All of <paramref name="path"/> (or the stretch asked for) in memory: for short clips only.</summary>
    public static float[] ReadAll(string path, string ffmpegExecutable = "ffmpeg", double startSeconds = 0, double? lengthSeconds = null)
    {
        using var decoder = Open(path, ffmpegExecutable, startSeconds, lengthSeconds);
        var samples = new List<float>();
        var chunk = new float[SegmentFeatures.SampleRateHz * 10];
        int read;
        while ((read = decoder.Read(chunk)) > 0) samples.AddRange(chunk.AsSpan(0, read));
        return samples.ToArray();
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            try { _process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            _process.WaitForExit();
        }
        ChildProcesses.Forget(_process);
        _process.Dispose();
    }
}
