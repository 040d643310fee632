using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using SSIS.Batch.Engine.Errors;

namespace SSIS.Batch.Engine.Audio;

/// <summary>
/// Decodes with an ffmpeg process writing raw float frames to a pipe, for what libsndfile cannot open (M4A/AAC, WMA, ...).
/// Starting the process costs about 100 ms, so it is the fallback, not the rule.
/// </summary>
public sealed class FfmpegPipeSource : IAudioSource
{
    public const string Name = "ffmpeg";

    private readonly Process _process;
    private readonly Stream _stdout;
    private readonly Task<string> _stderr;
    private readonly Timer _deadline;
    private volatile bool _timedOut;

    private FfmpegPipeSource(Process process, int channels, int sampleRateHz, TimeSpan timeout)
    {
        _process = process;
        _stdout = process.StandardOutput.BaseStream;
        _stderr = process.StandardError.ReadToEndAsync();
        Channels = channels;
        SampleRateHz = sampleRateHz;
        // A blocking pipe read cannot be interrupted, so a stuck ffmpeg is killed, which ends the read.
        _deadline = new Timer(_ =>
        {
            _timedOut = true;
            try { _process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        }, null, timeout, Timeout.InfiniteTimeSpan);
    }

    public string DecoderName => Name;
    public int Channels { get; }
    public int SampleRateHz { get; }

    /// <summary>Starts ffmpeg on <paramref name="path"/> from <paramref name="startSeconds"/>, at the file's own rate and channels.</summary>
    public static FfmpegPipeSource Open(string path, int channels, int sampleRateHz, double startSeconds = 0, double? lengthSeconds = null,
        string executable = "ffmpeg", TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var arguments = new List<string> { "-v", "error", "-nostdin" };
        if (startSeconds > 0) arguments.AddRange(["-ss", startSeconds.ToString("R", CultureInfo.InvariantCulture)]);
        if (lengthSeconds is { } length) arguments.AddRange(["-t", length.ToString("R", CultureInfo.InvariantCulture)]);
        arguments.AddRange(["-i", path, "-map", "0:a:0", "-f", "f32le", "-ac", channels.ToString(CultureInfo.InvariantCulture),
            "-ar", sampleRateHz.ToString(CultureInfo.InvariantCulture), "pipe:1"]);
        foreach (var a in arguments) start.ArgumentList.Add(a);
        return new FfmpegPipeSource(ChildProcesses.Start(start, "install ffmpeg (apt-get install ffmpeg) or run './run.sh setup'"),
            channels, sampleRateHz, timeout ?? AudioDecoder.DefaultTimeout);
    }

    public int ReadFrames(Span<float> interleaved)
    {
        var bytes = MemoryMarshal.AsBytes(interleaved[..(interleaved.Length / Channels * Channels)]);
        var filled = 0;
        while (filled < bytes.Length)
        {
            var read = _stdout.Read(bytes[filled..]);
            if (read == 0) break;
            filled += read;
        }
        if (filled == 0) CheckExit();
        return filled / (4 * Channels);
    }

    private void CheckExit()
    {
        _process.WaitForExit();
        if (_timedOut) throw new AudioDecodeException(ErrorCode.DecodeTimeout, "ffmpeg took too long and was stopped");
        if (_process.ExitCode != 0)
        {
            var message = _stderr.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault()?.Trim() ?? "ffmpeg failed";
            throw new AudioDecodeException(ErrorCode.FileCorrupt, message);
        }
    }

    public void Dispose()
    {
        _deadline.Dispose();
        if (!_process.HasExited)
        {
            try { _process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        }
        ChildProcesses.Forget(_process);
        _process.Dispose();
    }
}
