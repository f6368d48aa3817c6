#!/usr/bin/perl
# The documents and the program agree: every --option that README.md,
# docs/*.md or the man page write after a command (in a synopsis line or
# an inline `linkmatrix CMD ... --opt`) is one that CMD's --help lists, so
# the two cannot drift apart again (the README had run --format, which run
# never took).
use strict;
use warnings;

my $lm = $ENV{LINKMATRIX} or die "set LINKMATRIX\n";
my $src = $ENV{LM_SRCDIR} or die "set LM_SRCDIR\n";
my $n = 0;
my $failed = 0;
sub ok { my ($c, $name) = @_; $n++; print(($c ? "ok" : "not ok") . " $n - $name\n"); $failed++ unless $c; }

print "TAP version 13\n";
# The commands, as the top level's help lists them ("elf check" is one).
my %cmds = map { /^  ([a-z]+(?: [a-z]+)?)(?: |$)/ ? ($1 => 1) : () }
	grep { /^commands:/ .. /^$/ } split /\n/, `"$lm" --help`;
ok(keys %cmds >= 16, "the help lists the commands");
my %help;
sub help_of {
	my $c = shift;
	$help{$c} //= `"$lm" $c --help 2>&1`;
	return $help{$c};
}

# "linkmatrix elf diff FILE ..." -> "elf diff"; "run --x" -> "run".
sub command_of {
	my $text = shift;
	$text =~ s{^(?:\S*/)?linkmatrix\s+}{} or $text =~ /^[a-z]+(?: [a-z]+)? -/ or return;
	my ($a, $b) = $text =~ /^([a-z]+)(?: ([a-z]+))?/ or return;
	return defined $b && $cmds{"$a $b"} ? "$a $b" : $cmds{$a} ? $a : undef;
}

sub check_file {
	my ($file, @pieces) = @_;
	my %seen;
	for my $p (@pieces) {
		my $c = command_of($p) or next;
		for my $opt ($p =~ /(?<![\w\\-])--([a-z][a-z-]*)/g) {
			next if $seen{"$c --$opt"}++;
			my $h = help_of($c);
			ok(scalar($h =~ /(?<![\w-])--\Q$opt\E(?![\w-])/), "$file: $c --$opt is an option of $c");
		}
	}
}

# Markdown: synopsis blocks (a 4-space line starting with linkmatrix, the
# lines indented deeper after it) and inline code spans.
for my $file ("README.md", map { s{^\Q$src\E/}{}r } glob("$src/docs/*.md")) {
	open my $fh, '<', "$src/$file" or next;
	my @lines = <$fh>;
	close $fh;
	my (@pieces, $cur);
	for (@lines) {
		if (/^    (?:build\/)?(linkmatrix \S.*)/) {
			push @pieces, $cur if defined $cur;
			$cur = $1;
		} elsif (defined $cur && /^ {8,}(\S.*)/) {
			$cur .= " $1";
		} else {
			push @pieces, $cur if defined $cur;
			undef $cur;
		}
	}
	push @pieces, $cur if defined $cur;
	my $text = join '', grep { !/^    / } @lines;
	$text =~ s/\n/ /g;
	push @pieces, $text =~ /`([^`]+)`/g;
	check_file($file, @pieces);
}

# The man page: each synopsis line and each subsection (.SS, a command's)
# starts a piece, its options written \-\-opt.
if (open my $fh, '<', "$src/docs/linkmatrix.1") {
	my (@pieces, $cur);
	while (<$fh>) {
		chomp;
		s/\\-/-/g;
		s/\\f[BIRP]//g;
		if (/^\.SS "?([^"]*)"?/ || /^(linkmatrix .*)/ || /^\.SH/) {
			push @pieces, $cur if defined $cur;
			$cur = /^\.SH/ ? undef : $1 =~ /^linkmatrix/ ? $1 : "linkmatrix $1";
		} elsif (defined $cur) {
			$cur .= " $_";
		}
	}
	push @pieces, $cur if defined $cur;
	close $fh;
	check_file("docs/linkmatrix.1", @pieces);
}

print "1..$n\n";
exit($failed ? 1 : 0);
