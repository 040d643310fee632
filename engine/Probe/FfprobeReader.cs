using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using SSIS.Batch.Engine.Audio;
using SSIS.Batch.Engine.Errors;
using SSIS.Batch.Engine.Probe.Tags;

namespace SSIS.Batch.Engine.Probe;

/// <summary>Asks an ffprobe process (Debian package ffmpeg) for a file's first audio stream. One process per call.</summary>
public sealed class FfprobeReader(string executable = "ffprobe", TimeSpan? timeout = null)
{
    private readonly TimeSpan _timeout = timeout ?? TimeSpan.FromSeconds(30);

    public ProbeOutcome Probe(string path)
    {
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
                 {
                     "-v", "error", "-print_format", "json",
                     "-show_entries", "format=duration,bit_rate,format_name:format_tags:stream=codec_type,codec_name,sample_rate,channels,bit_rate:stream_tags",
                     "--", path,
                 })
            start.ArgumentList.Add(argument);
        var process = ChildProcesses.Start(start, "install ffmpeg (sudo apt-get install ffmpeg) or run './run.sh setup'");
        try
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(_timeout))
            {
                process.Kill(entireProcessTree: true);
                return ProbeOutcome.Failed(ErrorCode.DecodeTimeout, $"ffprobe took longer than {_timeout.TotalSeconds:0} s", ProbeMethod.Ffprobe);
            }
            var stderr = errors.Result.Trim();
            if (process.ExitCode != 0)
            {
                // ffprobe starts its messages with the path; the row already names the file.
                var message = FirstLine(stderr, "ffprobe could not read the file");
                if (message.StartsWith(path + ": ", StringComparison.Ordinal)) message = message[(path.Length + 2)..];
                // "[mp3 @ 0x5590d9e24d00] ...": the address differs in every run and means nothing to a reader.
                message = System.Text.RegularExpressions.Regex.Replace(message, @" @ 0x[0-9a-fA-F]+\]", "]");
                return ProbeOutcome.Failed(ErrorCode.FileCorrupt, $"ffprobe: {message}", ProbeMethod.Ffprobe);
            }
            return Parse(output.Result, stderr);
        }
        finally
        {
            ChildProcesses.Forget(process);
            process.Dispose();
        }
    }

    internal static ProbeOutcome Parse(string json, string stderr)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var format = root.TryGetProperty("format", out var f) ? f : default;
        if (!root.TryGetProperty("streams", out var streams)) streams = default;
        JsonElement? audio = null;
        if (streams.ValueKind == JsonValueKind.Array)
            foreach (var stream in streams.EnumerateArray())
                if (Text(stream, "codec_type") == "audio") { audio = stream; break; }
        if (audio is not { } a)
            return ProbeOutcome.Failed(ErrorCode.CodecUnsupported, "no audio stream found", ProbeMethod.Ffprobe);
        var duration = Number(format, "duration");
        if (duration is not > 0)
            return ProbeOutcome.Failed(ErrorCode.FileCorrupt, FirstLine(stderr, "no duration in the file"), ProbeMethod.Ffprobe);
        // The stream's rate leaves out tags and cover art, as the header readers do; the container's (the file's bits over
        // its duration) only when the stream has none.
        var bitRate = Number(a, "bit_rate") ?? Number(format, "bit_rate") ?? 0;
        var container = (Text(format, "format_name") ?? "unknown").Split(',')[0];
        return ProbeOutcome.Ok(new AudioProperties(
            duration.Value,
            (int)(Number(a, "sample_rate") ?? 0),
            (int)(Number(a, "channels") ?? 0),
            (int)bitRate,
            Text(a, "codec_name") ?? "unknown",
            container,
            TagsOf(format, a)), ProbeMethod.Ffprobe);
    }

    /// <summary>
    /// The container's tags, then the audio stream's (Ogg keeps them there), under ffmpeg's names (title, artist,
    /// album_artist, track, disc, date, ...) which <see cref="TagBuilder"/> takes as Vorbis-comment names; ffmpeg maps
    /// ASF (WMA), APEv2 (Monkey's Audio, WavPack) and AIFF tags to the same names.
    /// </summary>
    private static AudioTags TagsOf(JsonElement format, JsonElement audio)
    {
        var tags = new TagBuilder();
        foreach (var owner in new[] { format, audio })
            if (owner.ValueKind == JsonValueKind.Object && owner.TryGetProperty("tags", out var values) && values.ValueKind == JsonValueKind.Object)
                foreach (var tag in values.EnumerateObject())
                    if (tag.Value.ValueKind == JsonValueKind.String) tags.Add(tag.Name, tag.Value.GetString());
        return tags.Build();
    }

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var number) && number.ValueKind == JsonValueKind.Number
                ? number.GetRawText()
                : null;

    private static double? Number(JsonElement element, string name) =>
        double.TryParse(Text(element, name), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value) ? value : null;

    private static string FirstLine(string text, string fallback)
    {
        var line = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
        return string.IsNullOrEmpty(line) ? fallback : line;
    }
}
