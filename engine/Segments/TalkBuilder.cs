using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using SSIS.Batch.Engine.Audio;
using SSIS.Batch.Engine.Learning;

namespace SSIS.Batch.Engine.Segments;

/// <summary>
/// A long talk-like file for the segmentation bench: speech blocks with natural pauses and the odd longer silence,
/// built a minute at a time and streamed into one ffmpeg encoding MP3 at 44.1 kHz, so building it needs no more
/// memory than a minute of audio.
/// </summary>
public static class TalkBuilder
{
    public static void Write(SourcePool pool, string path, double minutes, ulong seed = 40, string ffmpeg = "ffmpeg")
    {
        var start = new ProcessStartInfo(ffmpeg) { RedirectStandardInput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in (string[])["-v", "error", "-y", "-f", "f32le", "-ar", SegmentFeatures.SampleRateHz.ToString(CultureInfo.InvariantCulture),
                     "-ac", "1", "-i", "pipe:0", "-ar", "44100", "-c:a", "libmp3lame", "-b:a", "96k", "-f", "mp3", path + ".tmp"])
            start.ArgumentList.Add(a);
        using var process = ChildProcesses.Start(start, "install ffmpeg (apt-get install ffmpeg)");
        var errors = process.StandardError.ReadToEndAsync();
        var rng = new Rng(seed);
        var builder = new MixtureBuilder(pool, rng);
        using (var stdin = process.StandardInput.BaseStream)
        {
            var remainingSamples = (long)(minutes * 60 * SegmentFeatures.SampleRateHz);
            while (remainingSamples > 0)
            {
                while (builder.Seconds < 60) builder.Speech(builder.Uniform(8, 40)).Silence(builder.Uniform(0.5, 2));
                var samples = builder.Build().Samples;
                var take = (int)Math.Min(samples.Length, remainingSamples);
                stdin.Write(MemoryMarshal.AsBytes(samples.AsSpan(0, take)));
                remainingSamples -= take;
            }
        }
        process.WaitForExit();
        ChildProcesses.Forget(process);
        if (process.ExitCode != 0) throw new InvalidOperationException($"ffmpeg could not encode the talk: {errors.Result}");
        File.Move(path + ".tmp", path, overwrite: true);
    }
}
