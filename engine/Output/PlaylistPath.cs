namespace SSIS.Batch.Engine.Output;

/// <summary>
/// A playlist path a user names (a job's <c>recommend.xspf</c>, <c>--xspf</c>, <c>--m3u</c>): it must end in the
/// playlist's extension and not be a folder, so no command writes a playlist over an audio file or a run's table.
/// </summary>
public static class PlaylistPath
{
    public static readonly string[] Xspf = [".xspf"];
    public static readonly string[] M3u = [".m3u", ".m3u8"];

    /// <summary>Why the command-line option's playlist path (null: not given) cannot take a playlist, named by the option, or null.</summary>
    public static string? OptionProblem(string option, string? path, IReadOnlyList<string> extensions) =>
        path is not null && Problem(Path.GetFullPath(path), extensions) is { } problem ? $"option {option}: {problem}" : null;

    /// <summary>Why <paramref name="path"/> cannot take a playlist with one of <paramref name="extensions"/>, or null.</summary>
    public static string? Problem(string path, IReadOnlyList<string> extensions) =>
        !extensions.Contains(Path.GetExtension(path), StringComparer.OrdinalIgnoreCase)
            ? $"{path}: a playlist's file name must end in {string.Join(" or ", extensions)} (so no audio file or table is written over)"
            : Directory.Exists(path) ? $"{path} is a folder: name the playlist file" : null;
}
