using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Serialization;
using SSIS.Batch.Engine.Catalog;
using SSIS.Batch.Engine.Output;
using SSIS.Batch.Engine.Segments;

namespace SSIS.Batch.Jobs.Commands;

/// <summary>
/// <c>ssis preview OUT TRACK_ID_OR_PATH [--out FILE]</c>: writes one file's preview clip (its row of previews.parquet) with
/// ffmpeg, re-encoded by the output's extension, atomically. The library file is only read: an output path equal to it
/// is refused.
/// </summary>
public static class PreviewCommand
{
    private static readonly IReadOnlyDictionary<string, string> Muxers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        [".flac"] = "flac", [".wav"] = "wav", [".mp3"] = "mp3", [".ogg"] = "ogg", [".opus"] = "opus", [".m4a"] = "ipod",
    };

    public static int Run(string outputFolder, string track, string? clipPath, TextWriter output, TextWriter errors, string ffmpeg = "ffmpeg")
    {
        var table = Path.Combine(outputFolder, PreviewsTable.FileName);
        if (RunOutputs.Lack(outputFolder, PreviewsTable.FileName, errors, "a job with segments.files speech or all")) return (int)ExitCode.BadConfig;
        var rows = ParquetRows.Read<PreviewRow>(table).ToList();
        var row = rows.FirstOrDefault(r => long.TryParse(track, NumberStyles.Integer, CultureInfo.InvariantCulture, out var id) && r.TrackId == id)
                  ?? rows.FirstOrDefault(r => r.Path == track || (r.Path is not null && r.Path == Path.GetFullPath(track)));
        if (row is null)
        {
            errors.WriteLine($"error: no preview for '{track}' in {table}: give a track_id or a path of a file segmented whole ({rows.Count} have a preview).");
            return (int)ExitCode.BadConfig;
        }
        var target = Path.GetFullPath(clipPath ?? Path.Combine(outputFolder, "previews", $"{row.TrackId}.flac"));
        if (!Muxers.TryGetValue(Path.GetExtension(target), out var muxer))
        {
            errors.WriteLine($"error: --out {target}: the extension must be one of {string.Join(", ", Muxers.Keys)}.");
            return (int)ExitCode.BadConfig;
        }
        // Only the output folder and its previews hold clips the preview wrote (the library is never scanned there): anything
        // already there elsewhere (the library file, another one, or one reached through a link in OUT) is never written
        // over. Folders are compared by their real paths.
        var ownOutput = Path.GetFullPath(outputFolder);
        var ownFolders = new[] { ownOutput, Path.Combine(ownOutput, "previews") }.Select(RealPath.Of).OfType<string>().ToHashSet(StringComparer.Ordinal);
        if (File.Exists(target) && !(RealPath.Of(Path.GetDirectoryName(target)!) is { } folder && ownFolders.Contains(folder)))
        {
            errors.WriteLine($"error: --out {target} exists and is not in {ownOutput} or its previews folder: the preview never writes over a file it did not write " +
                             "(it may be a library file). Choose a new file name.");
            return (int)ExitCode.BadConfig;
        }
        if (!File.Exists(row.Path))
        {
            errors.WriteLine($"error: {row.Path} is gone since the run.");
            return (int)ExitCode.Failed;
        }
        var (start, end) = (row.StartSeconds!.Value, row.EndSeconds!.Value);
        AtomicFile.Write(target, temp =>
        {
            var info = new ProcessStartInfo(ffmpeg) { RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in (string[])["-v", "error", "-nostdin", "-y", "-ss", Seconds(start), "-t", Seconds(end - start), "-i", row.Path!,
                         "-map", "0:a:0", "-vn", "-f", muxer, temp])
                info.ArgumentList.Add(a);
            using var process = Engine.Audio.ChildProcesses.Start(info, "install ffmpeg (apt-get install ffmpeg) or run './run.sh setup'");
            var stderr = process.StandardError.ReadToEnd();
            process.WaitForExit();
            Engine.Audio.ChildProcesses.Forget(process);
            if (process.ExitCode != 0) throw new IOException($"ffmpeg could not write the clip: {stderr.Trim()}");
        });
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{target}: {row.Mode} preview of {row.Path}, {start:0.0}–{end:0.0} s ({row.Reason})"));
        return 0;
    }

    private static string Seconds(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    private sealed class PreviewRow
    {
        [JsonPropertyName("track_id")] public long? TrackId { get; set; }
        [JsonPropertyName("path")] public string? Path { get; set; }
        [JsonPropertyName("mode")] public string? Mode { get; set; }
        [JsonPropertyName("start_s")] public double? StartSeconds { get; set; }
        [JsonPropertyName("end_s")] public double? EndSeconds { get; set; }
        [JsonPropertyName("reason")] public string? Reason { get; set; }
    }
}
