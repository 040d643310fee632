using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using SSIS.Batch.Engine.Audio;
using SSIS.Batch.Engine.Errors;

namespace SSIS.Batch.Engine.Segments;

/// <summary>Receives decoded samples; the span is only valid during the call.</summary>
public delegate void SamplesTap(ReadOnlySpan<float> samples);

/// <summary>
/// A whole file as mono floats (8 kHz, the segmenter's rate, unless asked otherwise) from one ffmpeg process, read in bounded chunks. ffmpeg runs with <c>-xerror</c> so
/// a damaged frame stops the decode (rather than being skipped silently): what came before it has already been read,
/// and <see cref="Read"/> then throws an <see cref="AudioDecodeException"/> with FILE_CORRUPT.
/// With a second rate, the one decode feeds two resamplers (ffmpeg's own, as two processes would run them: the samples
/// are the same bytes) and the two streams arrive interleaved in an AVI container, the simplest ffmpeg writes to a pipe:
/// RIFF chunks <c>00wb</c> (the first rate) and <c>01wb</c> (the second), each preceded by its size.
/// </summary>
public sealed class WholeFileDecoder : IDisposable
{
    private const string FirstStreamChunk = "00wb", SecondStreamChunk = "01wb";

    private readonly Process _process;
    private readonly Stream _stdout;
    private readonly Task<string> _stderr;
    private readonly bool _interleaved;
    private readonly byte[] _header = new byte[8];
    private byte[] _secondChunk = [];
    // Bytes of the current first-stream chunk not yet handed out (interleaved only), then its RIFF pad byte.
    private long _firstPending;
    private int _firstPad;

    private WholeFileDecoder(Process process, bool interleaved)
    {
        _process = process;
        _stdout = process.StandardOutput.BaseStream;
        _stderr = process.StandardError.ReadToEndAsync();
        _interleaved = interleaved;
    }

    /// <summary>
    /// Starts ffmpeg on <paramref name="path"/>, optionally from <paramref name="startSeconds"/> for <paramref name="lengthSeconds"/>;
    /// with <paramref name="secondRateHz"/>, the same decode also at that rate (<see cref="Read(Span{float}, SamplesTap?)"/>).
    /// </summary>
    public static WholeFileDecoder Open(string path, string ffmpegExecutable = "ffmpeg", double startSeconds = 0, double? lengthSeconds = null,
        int sampleRateHz = SegmentFeatures.SampleRateHz, int? secondRateHz = null)
    {
        if (!File.Exists(path)) throw new AudioDecodeException(Directory.Exists(path) ? ErrorCode.NotAFile : ErrorCode.FileMissing, "file not found");
        var start = new ProcessStartInfo(ffmpegExecutable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        var arguments = new List<string> { "-v", "error", "-nostdin", "-xerror" };
        if (startSeconds > 0) arguments.AddRange(["-ss", startSeconds.ToString("R", CultureInfo.InvariantCulture)]);
        if (lengthSeconds is { } length) arguments.AddRange(["-t", length.ToString("R", CultureInfo.InvariantCulture)]);
        var rate = sampleRateHz.ToString(CultureInfo.InvariantCulture);
        arguments.AddRange(secondRateHz is { } second
            ? ["-i", path, "-map_metadata", "-1", "-map", "0:a:0", "-map", "0:a:0", "-ac", "1", "-ar:a:0", rate, "-ar:a:1", second.ToString(CultureInfo.InvariantCulture),
                "-c:a", "pcm_f32le", "-f", "avi", "pipe:1"]
            : ["-i", path, "-map", "0:a:0", "-ac", "1", "-ar", rate, "-f", "f32le", "pipe:1"]);
        foreach (var a in arguments) start.ArgumentList.Add(a);
        return new WholeFileDecoder(ChildProcesses.Start(start, "install ffmpeg (apt-get install ffmpeg) or run './run.sh setup'"), secondRateHz is not null);
    }

    /// <summary>
    /// Fills <paramref name="samples"/> as far as the stream allows; returns the count, 0 at a clean end. Samples of the
    /// second rate met on the way go to <paramref name="second"/>; the call that returns 0 has handed out all of them.
    /// </summary>
    public int Read(Span<float> samples, SamplesTap? second = null)
    {
        var bytes = MemoryMarshal.AsBytes(samples);
        var filled = _interleaved ? ReadInterleaved(bytes, second) : ReadFully(bytes);
        if (filled == 0) CheckExit();
        return filled / sizeof(float);
    }

    /// <summary>Reads into <paramref name="bytes"/> until it is full or the pipe ends; returns the count.</summary>
    private int ReadFully(Span<byte> bytes)
    {
        var filled = 0;
        while (filled < bytes.Length)
        {
            var read = _stdout.Read(bytes[filled..]);
            if (read == 0) break;
            filled += read;
        }
        return filled;
    }

    private int ReadInterleaved(Span<byte> bytes, SamplesTap? second)
    {
        var filled = 0;
        while (filled < bytes.Length)
        {
            if (_firstPending > 0)
            {
                var read = ReadFully(bytes.Slice(filled, (int)Math.Min(_firstPending, bytes.Length - filled)));
                if (read == 0) break;
                filled += read;
                _firstPending -= read;
                continue;
            }
            if (_firstPad > 0 && !Skip(_firstPad)) break;
            _firstPad = 0;
            if (ReadFully(_header) < _header.Length) break;
            var id = System.Text.Encoding.ASCII.GetString(_header, 0, 4);
            var size = BitConverter.ToUInt32(_header, 4);
            // RIFF and LIST open a list whose chunks follow (their sizes are placeholders on a pipe): read on into it.
            if (id is "RIFF" or "LIST")
            {
                if (ReadFully(_header.AsSpan(0, 4)) < 4) break;
                continue;
            }
            if (id == FirstStreamChunk)
            {
                (_firstPending, _firstPad) = (size, (int)(size & 1));
                continue;
            }
            if (id == SecondStreamChunk)
            {
                if (_secondChunk.Length < size) _secondChunk = new byte[size];
                var chunk = _secondChunk.AsSpan(0, (int)size);
                var read = ReadFully(chunk);
                second?.Invoke(MemoryMarshal.Cast<byte, float>(chunk[..(read - read % sizeof(float))]));
                if (read < size || !Skip((int)(size & 1))) break;
                continue;
            }
            if (!Skip(size + (size & 1))) break;
        }
        return filled;
    }

    /// <summary>Reads past <paramref name="count"/> bytes; false when the pipe ends first.</summary>
    private bool Skip(long count)
    {
        Span<byte> scratch = stackalloc byte[4096];
        while (count > 0)
        {
            var read = ReadFully(scratch[..(int)Math.Min(count, scratch.Length)]);
            if (read == 0) return false;
            count -= read;
        }
        return true;
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
