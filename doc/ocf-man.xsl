<?xml version="1.0" encoding="UTF-8"?>
<!--
  SPDX-License-Identifier: GPL-2.0-or-later

  ocf-man.xsl: an agent's metadata source (xml-metadata/<agent>.xml) to its
  man page ocf_<provider>_<agent>(7), written as roff directly so that the
  build needs nothing but xsltproc. doc/local.mk runs it; the parameters
  "provider" and "package-version" go into the page header.
-->
<xsl:stylesheet version="1.0"
                xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
                xmlns:baton="urn:baton:metadata:1"
                exclude-result-prefixes="baton">

<xsl:output method="text" encoding="UTF-8"/>
<xsl:strip-space elements="*"/>

<xsl:param name="provider" select="'baton'"/>
<xsl:param name="package-version" select="''"/>

<xsl:variable name="nl" select="'&#10;'"/>
<xsl:variable name="lower" select="'abcdefghijklmnopqrstuvwxyz'"/>
<xsl:variable name="upper" select="'ABCDEFGHIJKLMNOPQRSTUVWXYZ'"/>
<xsl:variable name="agent" select="/resource-agent/@name"/>
<xsl:variable name="page" select="concat('ocf_', $provider, '_', $agent)"/>

<!-- ================================================================ escaping -->

<xsl:template name="replace">
  <xsl:param name="s"/>
  <xsl:param name="from"/>
  <xsl:param name="to"/>
  <xsl:choose>
    <xsl:when test="contains($s, $from)">
      <xsl:value-of select="substring-before($s, $from)"/>
      <xsl:value-of select="$to"/>
      <xsl:call-template name="replace">
        <xsl:with-param name="s" select="substring-after($s, $from)"/>
        <xsl:with-param name="from" select="$from"/>
        <xsl:with-param name="to" select="$to"/>
      </xsl:call-template>
    </xsl:when>
    <xsl:otherwise><xsl:value-of select="$s"/></xsl:otherwise>
  </xsl:choose>
</xsl:template>

<!-- Prose: backslashes are roff's escape character. -->
<xsl:template name="esc">
  <xsl:param name="s"/>
  <xsl:call-template name="replace">
    <xsl:with-param name="s" select="$s"/>
    <xsl:with-param name="from" select="'\'"/>
    <xsl:with-param name="to" select="'\e'"/>
  </xsl:call-template>
</xsl:template>

<!-- Names and values: also a real minus sign, so that copying from the page works. -->
<xsl:template name="code">
  <xsl:param name="s"/>
  <xsl:variable name="e">
    <xsl:call-template name="esc">
      <xsl:with-param name="s" select="translate($s, '&#10;&#13;&#9;', '   ')"/>
    </xsl:call-template>
  </xsl:variable>
  <xsl:call-template name="replace">
    <xsl:with-param name="s" select="string($e)"/>
    <xsl:with-param name="from" select="'-'"/>
    <xsl:with-param name="to" select="'\-'"/>
  </xsl:call-template>
</xsl:template>

<!-- A line of running text; a leading dot or quote would be read as a request. -->
<xsl:template name="line">
  <xsl:param name="s"/>
  <xsl:if test="starts-with($s, '.') or starts-with($s, &quot;'&quot;)">\&amp;</xsl:if>
  <xsl:call-template name="esc"><xsl:with-param name="s" select="$s"/></xsl:call-template>
  <xsl:value-of select="$nl"/>
</xsl:template>

<!--
  A description as paragraphs: the source's line breaks and indentation are
  only layout (roff fills the text), but an empty line starts a paragraph,
  introduced by $macro (.PP at top level, .IP inside a parameter).
-->
<xsl:template name="paragraphs">
  <xsl:param name="text"/>
  <xsl:param name="macro" select="'.PP'"/>
  <xsl:param name="started" select="false()"/>
  <xsl:param name="pending" select="false()"/>
  <xsl:if test="string-length($text) &gt; 0">
    <xsl:variable name="raw">
      <xsl:choose>
        <xsl:when test="contains($text, $nl)"><xsl:value-of select="substring-before($text, $nl)"/></xsl:when>
        <xsl:otherwise><xsl:value-of select="$text"/></xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <xsl:variable name="line" select="normalize-space($raw)"/>
    <xsl:if test="$line != '' and $pending">
      <xsl:value-of select="concat($macro, $nl)"/>
    </xsl:if>
    <xsl:if test="$line != ''">
      <xsl:call-template name="line"><xsl:with-param name="s" select="$line"/></xsl:call-template>
    </xsl:if>
    <xsl:call-template name="paragraphs">
      <xsl:with-param name="text" select="substring-after($text, $nl)"/>
      <xsl:with-param name="macro" select="$macro"/>
      <xsl:with-param name="started" select="$started or $line != ''"/>
      <xsl:with-param name="pending" select="($started or $line != '') and $line = ''"/>
    </xsl:call-template>
  </xsl:if>
</xsl:template>

<!-- The first description: OCF allows one per language, baton renders the first. -->
<xsl:template name="longdesc">
  <xsl:param name="macro" select="'.PP'"/>
  <xsl:call-template name="paragraphs">
    <xsl:with-param name="text" select="string(longdesc[1])"/>
    <xsl:with-param name="macro" select="$macro"/>
  </xsl:call-template>
</xsl:template>

<!-- ================================================================ page -->

<xsl:template match="/resource-agent">
  <xsl:text>.\" Generated from xml-metadata/</xsl:text>
  <xsl:value-of select="$agent"/>
  <xsl:text>.xml by doc/ocf-man.xsl; do not edit.&#10;</xsl:text>
  <xsl:text>.TH "</xsl:text>
  <xsl:value-of select="translate($page, $lower, $upper)"/>
  <xsl:text>" 7 "" "</xsl:text>
  <xsl:value-of select="$provider"/>
  <xsl:if test="$package-version != ''">
    <xsl:value-of select="concat(' ', $package-version)"/>
  </xsl:if>
  <xsl:text>" "OCF resource agents"&#10;</xsl:text>

  <xsl:text>.SH NAME&#10;</xsl:text>
  <xsl:call-template name="code"><xsl:with-param name="s" select="$page"/></xsl:call-template>
  <xsl:text> \- </xsl:text>
  <xsl:call-template name="esc">
    <xsl:with-param name="s" select="normalize-space(shortdesc[1])"/>
  </xsl:call-template>
  <xsl:value-of select="$nl"/>

  <xsl:apply-templates select="." mode="synopsis"/>

  <xsl:text>.SH DESCRIPTION&#10;</xsl:text>
  <xsl:call-template name="longdesc"/>

  <xsl:if test="parameters/parameter">
    <xsl:text>.SH PARAMETERS&#10;</xsl:text>
    <xsl:text>Each parameter reaches the agent as the environment variable&#10;</xsl:text>
    <xsl:text>\fBOCF_RESKEY_\fR\fIname\fR. The agent checks every value against what is&#10;</xsl:text>
    <xsl:text>said here before it acts, and refuses a wrong configuration with exit&#10;</xsl:text>
    <xsl:text>code 6 (not configured) and a reason naming the parameter.&#10;</xsl:text>
    <xsl:apply-templates select="parameters/parameter"/>
  </xsl:if>

  <xsl:text>.SH ACTIONS&#10;</xsl:text>
  <xsl:text>Default timeouts and intervals the agent advertises:&#10;</xsl:text>
  <xsl:apply-templates select="actions/action"/>

  <xsl:text>.SH "META-DATA FORMS"&#10;</xsl:text>
  <xsl:text>\fBmeta\-data\fR prints OCF 1.1 metadata when \fBOCF_RA_VERSION_MAJOR\fR&#10;</xsl:text>
  <xsl:text>is set, as Pacemaker does, and otherwise OCF 1.0 metadata valid against&#10;</xsl:text>
  <xsl:text>\fIra\-api\-1.dtd\fR, as \fBocf\-tester\fR(8) expects.&#10;</xsl:text>
  <xsl:text>\fBBATON_METADATA_FORMAT=1.0\fR or \fB1.1\fR chooses one explicitly.&#10;</xsl:text>

  <xsl:text>.SH "SEE ALSO"&#10;</xsl:text>
  <xsl:text>\fBpcs\fR(8), \fBcrm\fR(8), \fBcrm_resource\fR(8), \fBocf\-tester\fR(8)&#10;</xsl:text>
</xsl:template>

<xsl:template match="resource-agent" mode="synopsis">
  <xsl:variable name="id" select="concat('ocf:', $provider, ':', $agent)"/>
  <xsl:text>.SH SYNOPSIS&#10;.nf&#10;</xsl:text>
  <xsl:text>\fBpcs resource create\fR \fIresource\-id\fR \fB</xsl:text>
  <xsl:call-template name="code"><xsl:with-param name="s" select="$id"/></xsl:call-template>
  <xsl:text>\fR</xsl:text>
  <xsl:apply-templates select="parameters/parameter[@required = '1']" mode="synopsis"/>
  <xsl:if test="parameters/parameter[not(@required = '1')]">
    <xsl:text> [\fIparameter\fR=\fIvalue\fR]...</xsl:text>
  </xsl:if>
  <xsl:value-of select="$nl"/>
  <xsl:text>\fBcrm configure primitive\fR \fIresource\-id\fR \fB</xsl:text>
  <xsl:call-template name="code"><xsl:with-param name="s" select="$id"/></xsl:call-template>
  <xsl:text>\fR params</xsl:text>
  <xsl:apply-templates select="parameters/parameter[@required = '1']" mode="synopsis"/>
  <xsl:if test="parameters/parameter[not(@required = '1')]">
    <xsl:text> [\fIparameter\fR=\fIvalue\fR]...</xsl:text>
  </xsl:if>
  <xsl:text>&#10;.fi&#10;</xsl:text>
</xsl:template>

<xsl:template match="parameter" mode="synopsis">
  <xsl:text> \fB</xsl:text>
  <xsl:call-template name="code"><xsl:with-param name="s" select="@name"/></xsl:call-template>
  <xsl:text>=\fR\fIvalue\fR</xsl:text>
</xsl:template>

<!-- ================================================================ parameters -->

<xsl:template name="type-name">
  <xsl:choose>
    <xsl:when test="content/@baton:type = 'duration'">duration</xsl:when>
    <xsl:otherwise><xsl:value-of select="content/@type"/></xsl:otherwise>
  </xsl:choose>
</xsl:template>

<xsl:template name="unit-name">
  <xsl:param name="unit"/>
  <xsl:choose>
    <xsl:when test="$unit = 'ms'">milliseconds</xsl:when>
    <xsl:when test="$unit = 's' or $unit = ''">seconds</xsl:when>
    <xsl:when test="$unit = 'm' or $unit = 'min'">minutes</xsl:when>
    <xsl:when test="$unit = 'h'">hours</xsl:when>
    <xsl:otherwise><xsl:value-of select="$unit"/></xsl:otherwise>
  </xsl:choose>
</xsl:template>

<xsl:template match="parameter">
  <xsl:variable name="c" select="content"/>
  <!-- tag: name (type, required) -->
  <xsl:text>.TP&#10;\fB</xsl:text>
  <xsl:call-template name="code"><xsl:with-param name="s" select="@name"/></xsl:call-template>
  <xsl:text>\fR (</xsl:text>
  <xsl:call-template name="type-name"/>
  <xsl:if test="@required = '1'">, required</xsl:if>
  <xsl:if test="deprecated">, deprecated</xsl:if>
  <xsl:text>)&#10;</xsl:text>

  <xsl:call-template name="line">
    <xsl:with-param name="s" select="concat(normalize-space(shortdesc[1]), '.')"/>
  </xsl:call-template>
  <xsl:text>.IP&#10;</xsl:text>
  <xsl:call-template name="longdesc">
    <xsl:with-param name="macro" select="'.IP'"/>
  </xsl:call-template>

  <xsl:if test="deprecated">
    <xsl:text>.IP&#10;Deprecated</xsl:text>
    <xsl:for-each select="deprecated/replaced-with[1]">
      <xsl:text>: use \fB</xsl:text>
      <xsl:call-template name="code"><xsl:with-param name="s" select="@name"/></xsl:call-template>
      <xsl:text>\fR instead; a value given here is used for it when it is not set itself</xsl:text>
    </xsl:for-each>
    <xsl:text>.&#10;</xsl:text>
    <xsl:for-each select="deprecated/desc[1]">
      <xsl:call-template name="paragraphs">
        <xsl:with-param name="text" select="string(.)"/>
        <xsl:with-param name="macro" select="'.IP'"/>
      </xsl:call-template>
    </xsl:for-each>
  </xsl:if>

  <xsl:if test="$c/@baton:type = 'duration'">
    <xsl:text>.IP&#10;A duration: a whole number with an optional unit (\fBms\fR, \fBs\fR,&#10;</xsl:text>
    <xsl:text>\fBm\fR or \fBmin\fR, \fBh\fR). A bare number is in </xsl:text>
    <xsl:call-template name="unit-name">
      <xsl:with-param name="unit" select="string($c/@baton:unit)"/>
    </xsl:call-template>
    <xsl:text>.&#10;</xsl:text>
  </xsl:if>

  <xsl:if test="$c/@type = 'select'">
    <xsl:text>.IP&#10;Allowed values:</xsl:text>
    <xsl:for-each select="$c/option">
      <xsl:text> \fB</xsl:text>
      <xsl:call-template name="code"><xsl:with-param name="s" select="@value"/></xsl:call-template>
      <xsl:text>\fR</xsl:text>
      <xsl:if test="position() != last()">,</xsl:if>
    </xsl:for-each>
    <xsl:text>.&#10;</xsl:text>
  </xsl:if>

  <xsl:if test="$c/@baton:min or $c/@baton:max">
    <xsl:text>.IP&#10;</xsl:text>
    <xsl:choose>
      <xsl:when test="$c/@baton:min and $c/@baton:max">
        <xsl:text>From \fB</xsl:text>
        <xsl:call-template name="code"><xsl:with-param name="s" select="$c/@baton:min"/></xsl:call-template>
        <xsl:text>\fR to \fB</xsl:text>
        <xsl:call-template name="code"><xsl:with-param name="s" select="$c/@baton:max"/></xsl:call-template>
        <xsl:text>\fR</xsl:text>
      </xsl:when>
      <xsl:when test="$c/@baton:min">
        <xsl:text>At least \fB</xsl:text>
        <xsl:call-template name="code"><xsl:with-param name="s" select="$c/@baton:min"/></xsl:call-template>
        <xsl:text>\fR</xsl:text>
      </xsl:when>
      <xsl:otherwise>
        <xsl:text>At most \fB</xsl:text>
        <xsl:call-template name="code"><xsl:with-param name="s" select="$c/@baton:max"/></xsl:call-template>
        <xsl:text>\fR</xsl:text>
      </xsl:otherwise>
    </xsl:choose>
    <xsl:text> (inclusive).&#10;</xsl:text>
  </xsl:if>

  <xsl:text>.IP&#10;</xsl:text>
  <xsl:choose>
    <xsl:when test="$c/@default">
      <xsl:text>Default: \fB</xsl:text>
      <xsl:call-template name="code"><xsl:with-param name="s" select="$c/@default"/></xsl:call-template>
      <xsl:text>\fR.&#10;</xsl:text>
    </xsl:when>
    <xsl:when test="@required = '1'">
      <xsl:text>Required: there is no default.&#10;</xsl:text>
    </xsl:when>
    <xsl:otherwise>
      <xsl:text>No default.&#10;</xsl:text>
    </xsl:otherwise>
  </xsl:choose>

  <xsl:if test="@unique-group">
    <xsl:text>.br&#10;Unique together with the other parameters of group \fB</xsl:text>
    <xsl:call-template name="code"><xsl:with-param name="s" select="@unique-group"/></xsl:call-template>
    <xsl:text>\fR: no two resources may share the same values.&#10;</xsl:text>
  </xsl:if>
  <xsl:if test="not(@unique-group) and @unique = '1'">
    <xsl:text>.br&#10;Unique: no two resources may share the same value.&#10;</xsl:text>
  </xsl:if>
  <xsl:if test="@reloadable = '1'">
    <xsl:text>.br&#10;Reloadable: a change is applied without restarting the resource.&#10;</xsl:text>
  </xsl:if>
  <xsl:if test="@baton:private = '1'">
    <xsl:text>.br&#10;Private: the value is never logged nor shown in an exit reason.&#10;</xsl:text>
  </xsl:if>
</xsl:template>

<!-- ================================================================ actions -->

<xsl:template match="action">
  <xsl:text>.TP&#10;\fB</xsl:text>
  <xsl:call-template name="code"><xsl:with-param name="s" select="@name"/></xsl:call-template>
  <xsl:text>\fR&#10;timeout \fB</xsl:text>
  <xsl:call-template name="code"><xsl:with-param name="s" select="@timeout"/></xsl:call-template>
  <xsl:text>\fR</xsl:text>
  <xsl:if test="@interval">
    <xsl:text>, interval \fB</xsl:text>
    <xsl:call-template name="code"><xsl:with-param name="s" select="@interval"/></xsl:call-template>
    <xsl:text>\fR</xsl:text>
  </xsl:if>
  <xsl:if test="@start-delay">
    <xsl:text>, start delay \fB</xsl:text>
    <xsl:call-template name="code"><xsl:with-param name="s" select="@start-delay"/></xsl:call-template>
    <xsl:text>\fR</xsl:text>
  </xsl:if>
  <xsl:if test="@depth">
    <xsl:text>, depth \fB</xsl:text>
    <xsl:call-template name="code"><xsl:with-param name="s" select="@depth"/></xsl:call-template>
    <xsl:text>\fR</xsl:text>
  </xsl:if>
  <xsl:if test="@role">
    <xsl:text>, role \fB</xsl:text>
    <xsl:call-template name="code"><xsl:with-param name="s" select="@role"/></xsl:call-template>
    <xsl:text>\fR</xsl:text>
  </xsl:if>
  <xsl:value-of select="$nl"/>
</xsl:template>

</xsl:stylesheet>
