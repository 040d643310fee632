using SSIS.Batch.Engine.Shards;
using SSIS.Batch.Jobs.Commands;
using SSIS.Batch.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace SSIS.Batch.Tests.Shards;

/// <summary>No cluster is reachable here: the manifests are parsed and checked for what the batch/v1 Job API requires of an Indexed Job.</summary>
public class KubernetesManifestTests
{
    [Fact]
    public void A_volume_at_the_root_is_refused_whether_derived_or_given()
    {
        using var folder = new TempFolder();
        folder.Write("music/a.ogg", new byte[100]);
        var config = folder.File("job.yaml");
        // The output elsewhere than the config and catalog: they share only /.
        File.WriteAllText(config, $"catalog: {{folder: music}}\noutput: /var/tmp/ssis-k8s-test-out\n");
        var errors = new StringWriter();
        Assert.Equal(2, KubernetesCommand.Run(config, 2, "img:1", folder.File("k8s"), "claim", null, null, null, TextWriter.Null, errors));
        File.WriteAllText(config, "catalog: {folder: music}\noutput: out\n");
        Assert.Equal(2, KubernetesCommand.Run(config, 2, "img:1", folder.File("k8s"), "claim", "/", null, null, TextWriter.Null, errors));
        Assert.Equal(
            [
                "error: the config, catalog, output and state share no folder below /, and the volume cannot be mounted at / (it would hide the image): put them under one folder (e.g. /data), or give --mount FOLDER.",
                "error: option --mount: the volume cannot be mounted at / (it would hide the image): give the folder that holds the config, catalog, output and state.",
            ],
            errors.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.False(Directory.Exists(folder.File("k8s")));
    }

    [Fact]
    public void A_volume_that_does_not_hold_the_job_s_paths_is_refused_naming_them()
    {
        using var folder = new TempFolder();
        folder.Write("job/music/a.ogg", new byte[100]);
        var config = folder.File("job/job.yaml");
        File.WriteAllText(config, "catalog: {folder: music}\noutput: ../out\n");
        var errors = new StringWriter();

        Assert.Equal(2, KubernetesCommand.Run(config, 2, "img:1", folder.File("k8s"), "claim", folder.File("job"), null, null, TextWriter.Null, errors));

        Assert.Equal($"error: option --mount: the output {folder.File("out")}, the state {folder.File("out/state")} are not under {folder.File("job")}: " +
                     "pods see only the mounted volume; give a folder that holds them all.", errors.ToString().Trim());
        Assert.False(Directory.Exists(folder.File("k8s")));
        Assert.Equal(0, KubernetesCommand.Run(config, 2, "img:1", folder.File("k8s"), "claim", folder.Path, null, null, TextWriter.Null, TextWriter.Null));
    }

    [Fact]
    public void The_shards_are_an_Indexed_Job_and_the_merge_a_Job_on_the_same_shared_volume()
    {
        using var folder = new TempFolder();
        folder.Write("music/a.ogg", new byte[100]);
        folder.Write("music/b.ogg", new byte[200]);
        var config = folder.File("job.yaml");
        File.WriteAllText(config, "catalog: {folder: music}\noutput: out\nworkers: 3\n");
        var output = new StringWriter();
        var errors = new StringWriter();
        var exit = KubernetesCommand.Run(config, 5, "registry.example/ssis:1.0", folder.File("k8s"), "music-claim", null, 2, null, output, errors);
        Assert.True(exit == 0, errors.ToString());

        var shards = Parse(folder.File($"k8s/{KubernetesManifests.ShardsFileName}"));
        var merge = Parse(folder.File($"k8s/{KubernetesManifests.MergeFileName}"));
        foreach (var job in new[] { shards, merge })
        {
            Assert.Equal("batch/v1", Text(job, "apiVersion"));
            Assert.Equal("Job", Text(job, "kind"));
            Assert.Matches("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", Text(job, "metadata", "name"));
            Assert.True(Text(job, "metadata", "name").Length <= 63);
            var pod = Map(job, "spec", "template", "spec");
            Assert.Contains(Text(pod, "restartPolicy"), new[] { "Never", "OnFailure" });
            var container = Assert.Single(Seq(pod, "containers").Cast<YamlMappingNode>());
            Assert.Equal("ssis", Text(container, "name"));
            Assert.Equal("registry.example/ssis:1.0", Text(container, "image"));
            var mount = Assert.Single(Seq(container, "volumeMounts").Cast<YamlMappingNode>());
            Assert.Equal(folder.Path, Text(mount, "mountPath"));
            var volume = Assert.Single(Seq(pod, "volumes").Cast<YamlMappingNode>());
            Assert.Equal(Text(mount, "name"), Text(volume, "name"));
            Assert.Equal("music-claim", Text(volume, "persistentVolumeClaim", "claimName"));
            Assert.Equal("3", Text(container, "resources", "requests", "cpu"));
            Assert.Contains(config, Seq(container, "args").Select(a => ((YamlScalarNode)a).Value));
        }
        Assert.Equal("Indexed", Text(shards, "spec", "completionMode"));
        Assert.Equal("5", Text(shards, "spec", "completions"));
        Assert.Equal("2", Text(shards, "spec", "parallelism"));
        // backoffLimitPerIndex (one failed index retried alone) is only allowed with restartPolicy Never.
        Assert.NotNull(Text(shards, "spec", "backoffLimitPerIndex"));
        Assert.Equal("Never", Text(shards, "spec", "template", "spec", "restartPolicy"));
        var shardContainer = (YamlMappingNode)Seq(Map(shards, "spec", "template", "spec"), "containers")[0];
        var count = Seq(shardContainer, "env").Cast<YamlMappingNode>().Single(e => Text(e, "name") == ShardSpec.KubernetesCountVariable);
        Assert.Equal(Text(shards, "spec", "completions"), Text(count, "value"));
        Assert.Equal("run", ((YamlScalarNode)Seq(shardContainer, "args")[0]).Value);
        var mergeArgs = Seq((YamlMappingNode)Seq(Map(merge, "spec", "template", "spec"), "containers")[0], "args").Select(a => ((YamlScalarNode)a).Value).ToList();
        Assert.Equal(["merge", config, "--shards", "5"], mergeArgs.Take(4));
        Assert.False(Map(merge, "spec").Children.ContainsKey(new YamlScalarNode("completionMode")));
    }

    private static YamlMappingNode Parse(string path)
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(path);
        stream.Load(reader);
        return (YamlMappingNode)Assert.Single(stream.Documents).RootNode;
    }

    private static YamlMappingNode Map(YamlMappingNode node, params string[] keys) =>
        keys.Aggregate(node, (n, key) => (YamlMappingNode)n.Children[new YamlScalarNode(key)]);

    private static string Text(YamlMappingNode node, params string[] keys) =>
        ((YamlScalarNode)Map(node, keys[..^1]).Children[new YamlScalarNode(keys[^1])]).Value!;

    private static IReadOnlyList<YamlNode> Seq(YamlMappingNode node, string key) => ((YamlSequenceNode)node.Children[new YamlScalarNode(key)]).Children.ToList();
}
