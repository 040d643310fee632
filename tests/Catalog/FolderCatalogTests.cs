using SSIS.Batch.Engine.Catalog;
using SSIS.Batch.Tests.Support;

namespace SSIS.Batch.Tests.Catalog;

public class FolderCatalogTests
{
    [Fact]
    public void Names_that_are_not_utf8_are_listed_once_each_through_links_loops_and_symlinks_included()
    {
        using var folder = new TempFolder();
        var library = folder.File("lib");
        Directory.CreateDirectory(library);
        // Only a shell writes such names: a Latin-1 folder with a loop back up in it and a UTF-8 link to it; a Latin-1
        // symlink to a listed file; a Latin-1 name and a file really named with U+FFFD, which .NET lists alike; and
        // Latin-1 names nested.
        Tools.Run("bash", "-c", $"cd \"{library}\" && mkdir -p \"$(printf 'Caf\\351/Sub')\" && echo 1 > \"$(printf 'Caf\\351/t.ogg')\" && " +
                                $"ln -s .. \"$(printf 'Caf\\351/Sub/Up')\" && ln -s \"$(printf 'Caf\\351')\" CafeLink && echo 22 > song.ogg && " +
                                $"ln -s song.ogg \"$(printf 'L\\351nk.ogg')\" && echo 333 > \"$(printf 'x\\351.ogg')\" && echo 4444 > 'x\uFFFD.ogg' && " +
                                $"mkdir -p \"$(printf 'A\\351/B\\350')\" && echo 55555 > \"$(printf 'A\\351/B\\350/n\\340.ogg')\"");
        var names = Path.Combine(folder.File("state"), NameAliases.StateSubfolder);

        var tracks = new FolderCatalog(library, ["ogg"]).WithNameAliases(names).ReadTracks().ToList();

        var sizes = tracks.ToDictionary(t => t.Path.StartsWith(names, StringComparison.Ordinal)
            ? "names/" + string.Join('/', Path.GetRelativePath(names, t.Path).Split('/')[1..]) : Path.GetRelativePath(library, t.Path), t => new FileInfo(t.Path).Exists
                ? File.ReadAllText(t.Path).Trim() : "unreadable");
        Assert.Equal(new Dictionary<string, string>
        {
            ["names/Caf%E9/t.ogg"] = "1", ["song.ogg"] = "22", ["names/x%E9.ogg"] = "333", ["x\uFFFD.ogg"] = "4444", ["names/n%E0.ogg"] = "55555",
        }, sizes);
        // Nested names link to the library itself, not through another link.
        var nested = tracks.Single(t => t.Path.EndsWith("n%E0.ogg", StringComparison.Ordinal)).Path;
        Assert.StartsWith(library, RealPath.Of(new FileInfo(nested).LinkTarget!) ?? new FileInfo(nested).LinkTarget!);
    }

    [Fact]
    public void A_latin1_name_too_long_for_dotnet_leaves_its_folder_listed()
    {
        // 84 Latin-1 "é" bytes are a legal 88-byte name; .NET spells each as U+FFFD (three bytes in UTF-8), passes the
        // 255-byte limit and cannot list the folder at all.
        using var folder = new TempFolder();
        var library = folder.File("lib");
        Directory.CreateDirectory(library);
        File.WriteAllText(Path.Combine(library, "ok.ogg"), "1");
        Tools.Run("bash", "-c", $"cd \"{library}\" && echo 22 > \"$(printf '\\351%.0s' $(seq 84)).ogg\"");
        Assert.ThrowsAny<IOException>(() => new DirectoryInfo(library).EnumerateFileSystemInfos().ToList());

        var tracks = new FolderCatalog(library, ["ogg"]).WithNameAliases(folder.File("state/names")).ReadTracks().ToList();

        Assert.Equal(["1", "22"], tracks.Select(t => File.ReadAllText(t.Path).Trim()).Order());
        var link = Path.GetFileName(tracks.Single(t => !t.Path.StartsWith(library, StringComparison.Ordinal)).Path);
        Assert.True(System.Text.Encoding.UTF8.GetByteCount(link) <= 255);
        Assert.Matches("^(%E9)+\\.ogg$", link);
    }

    [Fact]
    public void Walks_recursively_by_extension_with_awkward_names_and_survives_symlink_loops()
    {
        using var folder = new TempFolder();
        folder.Write("a/one.mp3", [1]);
        folder.Write("a/b/two.FLAC", [1]);
        folder.Write("a/b/notes.txt", [1]);
        folder.Write("it's \"quoted\" & spaced/trois été 音楽.ogg", [1]);
        folder.Write("new\nline.opus", [1]);
        Directory.CreateDirectory(folder.File("album.mp3"));
        File.CreateSymbolicLink(folder.File("a/b/loop"), folder.File("a"));
        File.CreateSymbolicLink(folder.File("a/self"), folder.Path);
        File.CreateSymbolicLink(folder.File("dangling.mp3"), folder.File("nowhere.mp3"));

        var catalog = new FolderCatalog(folder.Path, ["mp3", "flac", "ogg", "opus"]);
        var paths = catalog.ReadTracks().Select(t => Path.GetRelativePath(folder.Path, t.Path)).Order(StringComparer.Ordinal).ToList();

        Assert.Equal(
            new[] { "a/b/two.FLAC", "a/one.mp3", "dangling.mp3", "it's \"quoted\" & spaced/trois été 音楽.ogg", "new\nline.opus" },
            paths);
    }

    [Fact]
    public void An_unlistable_folder_is_said_and_the_rest_of_the_library_is_read()
    {
        using var folder = new TempFolder();
        AudioFactory.Tone(folder.File("lib/open/a.ogg"), "ogg", 2.0);
        AudioFactory.Tone(folder.File("lib/shut/b.ogg"), "ogg", 2.0);
        File.WriteAllText(folder.File("job.yaml"), "catalog:\n  folder: lib\noutput: out\nworkers: 1\n");
        OtherUser.Open(folder, folder.File("out"), folder.File("lib"), folder.File("lib/open"));
        File.SetUnixFileMode(folder.File("lib/open/a.ogg"), UnixFileMode.UserRead | UnixFileMode.OtherRead);
        File.SetUnixFileMode(folder.File("lib/shut"), UnixFileMode.None);

        // root lists any folder, so ssis runs as an ordinary user.
        var (exit, output, errors) = OtherUser.Run(folder, "run", "job.yaml");
        Assert.True(exit == 0, errors);

        Assert.Contains($"1 folder(s) could not be listed, so their files are not in this run: {folder.File("lib/shut")}: permission denied", output);
        Assert.Contains("1 catalog entries", output);
        Assert.Contains("ok 1, errors 0", output);
    }

    [Fact]
    public void A_library_folder_that_cannot_be_listed_is_a_catalog_error_and_the_last_outputs_stay()
    {
        using var folder = new TempFolder();
        AudioFactory.Tone(folder.File("lib/a.ogg"), "ogg", 2.0);
        File.WriteAllText(folder.File("job.yaml"), "catalog:\n  folder: lib\noutput: out\nworkers: 1\n");
        OtherUser.Open(folder, folder.File("out"), folder.File("lib"));
        var (first, _, firstErrors) = OtherUser.Run(folder, "run", "job.yaml");
        Assert.True(first == 0, firstErrors);
        var tracks = File.ReadAllBytes(folder.File("out/tracks.parquet"));
        File.SetUnixFileMode(folder.File("lib"), UnixFileMode.UserExecute | UnixFileMode.OtherExecute);

        // root lists any folder, so ssis runs as an ordinary user.
        var (exit, _, errors) = OtherUser.Run(folder, "run", "job.yaml");

        Assert.Equal(3, exit);
        Assert.Contains($"The library folder {folder.File("lib")} (the job's catalog.folder) cannot be listed: permission denied", errors);
        Assert.Equal(tracks, File.ReadAllBytes(folder.File("out/tracks.parquet")));
    }

    [Fact]
    public void AppleDouble_files_trash_and_nas_folders_excluded_folders_and_links_to_listed_files_are_left_out()
    {
        using var folder = new TempFolder();
        using var outside = new TempFolder();
        folder.Write("lib/Album/song.flac", [1]);
        folder.Write("lib/Album/._song.flac", [1]); // macOS AppleDouble
        folder.Write("lib/...And Justice for All/01 Blackened.mp3", [1]); // a name with a leading dot is music all the same
        folder.Write("lib/.hidden/secret.mp3", [1]);
        folder.Write("lib/.Trash-1000/files/deleted.mp3", [1]);
        folder.Write("lib/@eaDir/song.flac/SYNOVIDEO.mp3", [1]); // Synology's thumbnails
        folder.Write("lib/out/previews/1.flac", [1]); // the run's own output inside the library
        outside.Write("elsewhere.mp3", [1]);
        File.CreateSymbolicLink(folder.File("lib/favourite.flac"), folder.File("lib/Album/song.flac"));
        File.CreateSymbolicLink(folder.File("lib/from elsewhere.mp3"), outside.File("elsewhere.mp3"));
        File.CreateSymbolicLink(folder.File("lib/revealed.mp3"), folder.File("lib/.Trash-1000/files/deleted.mp3"));
        File.CreateSymbolicLink(folder.File("lib/preview.flac"), folder.File("lib/out/previews/1.flac"));

        var catalog = new FolderCatalog(folder.File("lib"), FolderCatalog.DefaultExtensions).Excluding(folder.File("lib/out"));
        var paths = catalog.ReadTracks().Select(t => Path.GetRelativePath(folder.File("lib"), t.Path)).Order(StringComparer.Ordinal).ToList();

        // A link is listed only when the file it reaches is not: outside the library, or on a path the walk leaves out.
        Assert.Equal(new[] { "...And Justice for All/01 Blackened.mp3", ".hidden/secret.mp3", "Album/song.flac", "from elsewhere.mp3", "preview.flac", "revealed.mp3" },
            paths);
    }

    [Fact]
    public void Track_ids_are_stable_across_runs()
    {
        using var folder = new TempFolder();
        folder.Write("x.mp3", [1]);
        var first = new FolderCatalog(folder.Path, ["mp3"]).ReadTracks().Single().TrackId;
        var second = new FolderCatalog(folder.Path, ["mp3"]).ReadTracks().Single().TrackId;
        Assert.Equal(first, second);
        // The same in every process and on every machine: the id of a path stored once (the first 8 bytes of its UTF-8
        // SHA-256, little-endian, sign bit cleared), where a per-process string hash would differ.
        Assert.Equal(4412474052826497253, FolderCatalog.StableId("/music/Ärtist/a.mp3"));
    }

    [Fact]
    public void A_missing_folder_is_a_catalog_error()
    {
        var error = Assert.Throws<CatalogException>(() => new FolderCatalog("/no/such/folder", ["mp3"]).ReadTracks().ToList());
        Assert.Contains("/no/such/folder", error.Message);
    }

    [Fact]
    public void A_file_given_as_the_folder_is_a_catalog_error_that_says_so()
    {
        using var folder = new TempFolder();
        var song = folder.Write("song.mp3", [1]);
        var error = Assert.Throws<CatalogException>(() => new FolderCatalog(song, ["mp3"]).ReadTracks().ToList());
        Assert.Equal($"The library folder {song} (the job's catalog.folder) is a file: give the folder that holds the music.", error.Message);
    }
}
