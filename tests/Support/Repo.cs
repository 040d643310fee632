namespace SSIS.Batch.Tests.Support;

/// <summary>Paths in the repository and in the audio that ./run.sh setup fetches from Debian.</summary>
public static class Repo
{
    public static string Root { get; } = FindRoot();

    public static string WesnothMusic => RequireFolder(Path.Combine(Root, ".cache", "audio", "wesnoth-1.16-music", "usr", "share", "games", "wesnoth", "1.16", "data", "core", "music"));

    public static string PlanetBlupiMusic => RequireFolder(Path.Combine(Root, ".cache", "audio", "planetblupi-music-ogg", "usr", "share", "planetblupi", "music"));

    public static string AsteriskSpeech => RequireFolder(Path.Combine(Root, ".cache", "audio", "asterisk-core-sounds-en-wav", "usr", "share", "asterisk", "sounds", "en_US_f_Allison"));

    private static string RequireFolder(string path) =>
        Directory.Exists(path) ? path : throw new InvalidOperationException($"{path} is missing: run './run.sh setup' to fetch the Debian audio packages.");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "SSIS.Batch.sln"))) return dir.FullName;
        throw new InvalidOperationException("Cannot find the repository root (SSIS.Batch.sln).");
    }
}
